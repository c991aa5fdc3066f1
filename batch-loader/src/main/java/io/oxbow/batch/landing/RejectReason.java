package io.oxbow.batch.landing;

/**
 * Why the loader rejected a record: a fixed set, so the {@code oxbow.dlq.reason} header and the
 * {@code reason} tag of {@code oxbow.batch.rejected} take a bounded number of values whatever the
 * input. The detail (the decoder's message, naming the field) goes in {@code
 * oxbow.dlq.exception.message}.
 */
public enum RejectReason {
  /** The record has no value (a tombstone). */
  NO_VALUE,
  /** The value does not decode with the registry's schema (wrong magic byte, unknown id, bytes). */
  UNDECODABLE,
  /** The event-time field is missing, null or not a time. */
  BAD_EVENT_TIME
}
