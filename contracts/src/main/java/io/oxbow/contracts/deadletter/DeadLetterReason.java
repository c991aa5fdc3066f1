package io.oxbow.contracts.deadletter;

/**
 * Why a record was dead-lettered: the closed set of codes written in the {@code oxbow.dlq.reason}
 * header, so counts by reason (the {@code reason} tags of {@code oxbow.stream.dlq} and {@code
 * oxbow.batch.rejected}, {@code /api/v1/status}) take a bounded number of values whatever the
 * input. The detail goes in the exception message header.
 */
public enum DeadLetterReason {
  // stage parse: the access-log parser's codes (io.oxbow.accesslog.RejectReason, same names)

  /** The line is empty or holds only white space. */
  EMPTY,
  /** The line is longer than the parser's limit. */
  TOO_LONG,
  /** The raw line holds bytes that are not valid UTF-8. */
  NOT_UTF8,
  /** The line ends before the format's required fields are complete. */
  TRUNCATED,
  /** The client field is neither an IP address nor a host name. */
  BAD_CLIENT,
  /** The time field is malformed or names an impossible date. */
  BAD_TIMESTAMP,
  /** The request field is not a quoted string. */
  BAD_REQUEST_LINE,
  /** The status field is not a 1-3 digit number. */
  BAD_STATUS,
  /** The byte-count field is neither {@code -} nor a number. */
  BAD_BYTES,
  /** A numeric field (port, duration) is not a number. */
  BAD_NUMBER,
  /** A field is malformed. */
  BAD_FIELD,
  /** The text between fields does not match the format. */
  UNEXPECTED_TEXT,
  /** A defect in the parser itself (never expected). */
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
