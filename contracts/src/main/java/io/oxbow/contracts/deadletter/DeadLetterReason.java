package io.oxbow.contracts.deadletter;

/**
 * Why a record was dead-lettered: the closed set of codes written in the {@code oxbow.dlq.reason}
 * header, so counts by reason (the {@code reason} tags of {@code oxbow.stream.dlq} and {@code
 * oxbow.batch.rejected}, {@code /api/v1/status}) take a bounded number of values whatever the
 * input. The detail goes in the exception message header.
 */
public enum DeadLetterReason {
  // stage parse: the access-log parser's codes, each explained where the parser defines it
  // (io.oxbow.accesslog.RejectReason, same names; a stream-processor test keeps the two in step)
  EMPTY,
  TOO_LONG,
  NOT_UTF8,
  TRUNCATED,
  BAD_CLIENT,
  BAD_TIMESTAMP,
  BAD_REQUEST_LINE,
  BAD_STATUS,
  BAD_BYTES,
  BAD_NUMBER,
  BAD_FIELD,
  UNEXPECTED_TEXT,
  INTERNAL_ERROR,

  // stage validate

  /** The status is outside 100..599. */
  STATUS_OUT_OF_RANGE,
  /** The event time is more than a day after the line was received. */
  FUTURE_TIMESTAMP,

  // stages parse, attribute and land

  /** The record has no value (a tombstone). */
  NO_VALUE,

  // stage land

  /** The value does not decode with the registry's schema (wrong magic byte, unknown id). */
  UNDECODABLE,
  /** The event-time field is missing, null or not a time. */
  BAD_EVENT_TIME,

  // stages deserialize, process and produce: unexpected failures, the exception says what

  /** The source record did not deserialize. */
  DESERIALIZE_ERROR,
  /** A processor threw. */
  PROCESS_ERROR,
  /** The output could not be serialized or was refused by the broker. */
  PRODUCE_ERROR
}
