package io.oxbow.batch.landing;

import io.oxbow.contracts.deadletter.DeadLetterReason;

/**
 * Why the loader rejected a record: a fixed set, so the dead letter's reason and the {@code reason}
 * tag of {@code oxbow.batch.rejected} take a bounded number of values whatever the input. Each is
 * written as its {@link #deadLetterReason()} of the project's dead-letter contract; the detail (the
 * decoder's message, naming the field) goes in the exception message.
 */
public enum RejectReason {
  /** The record has no value (a tombstone). */
  NO_VALUE(DeadLetterReason.NO_VALUE),
  /** The value does not decode with the registry's schema (wrong magic byte, unknown id, bytes). */
  UNDECODABLE(DeadLetterReason.UNDECODABLE),
  /** The event-time field is missing, null or not a time. */
  BAD_EVENT_TIME(DeadLetterReason.BAD_EVENT_TIME);

  private final DeadLetterReason deadLetterReason;

  RejectReason(DeadLetterReason deadLetterReason) {
    this.deadLetterReason = deadLetterReason;
  }

  /** The code the dead letter carries (the same name). */
  public DeadLetterReason deadLetterReason() {
    return deadLetterReason;
  }
}
