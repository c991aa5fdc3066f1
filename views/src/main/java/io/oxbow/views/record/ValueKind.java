package io.oxbow.views.record;

/**
 * What a field or derived dimension holds once read: text, a number or a boolean. Decides which
 * metrics and filter comparisons are allowed on it.
 */
public enum ValueKind {
  /** Text (Avro string or enum); read as {@link String}. */
  STRING,
  /**
   * A number: Avro int/long (read as {@link Long}), decimal ({@link java.math.BigDecimal}),
   * float/double ({@link Double}), or timestamp-millis (epoch millis as {@link Long}).
   */
  NUMBER,
  /** Avro boolean; read as {@link Boolean}. */
  BOOLEAN
}
