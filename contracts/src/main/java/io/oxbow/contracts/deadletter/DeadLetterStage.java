package io.oxbow.contracts.deadletter;

import java.util.Locale;
import java.util.Optional;

/**
 * The stage that dead-lettered a record, written as its lower-case {@link #code()} in the {@code
 * oxbow.dlq.stage} header. The stream processor writes the first six, the batch loader {@link
 * #LAND}.
 */
public enum DeadLetterStage {
  /** The stream processor could not deserialize the source record (not Avro, unknown schema). */
  DESERIALIZE,
  /** The access-log parser rejected the raw line. */
  PARSE,
  /** The line parsed but the event failed validation (status, event time). */
  VALIDATE,
  /** The order could not be attributed (an order without a value). */
  ATTRIBUTE,
  /** A stream processor failed unexpectedly on the record. */
  PROCESS,
  /** The stream processor's output record could not be serialized or was refused by the broker. */
  PRODUCE,
  /** The batch loader could not land the record (undecodable value, no event time). */
  LAND;

  /** The value of the stage header written before {@link #LAND} had this name; still read. */
  static final String LEGACY_LAND = "batch-landing";

  /** The header value, e.g. {@code parse}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The stage written as {@code code}, also accepting the batch loader's former {@code
   * batch-landing}; empty for a code no version of Oxbow wrote.
   */
  public static Optional<DeadLetterStage> fromCode(String code) {
    if (code == null) {
      return Optional.empty();
    }
    if (LEGACY_LAND.equals(code)) {
      return Optional.of(LAND);
    }
    for (DeadLetterStage stage : values()) {
      if (stage.code().equals(code)) {
        return Optional.of(stage);
      }
    }
    return Optional.empty();
  }
}
