package io.oxbow.views.record;

import org.apache.avro.generic.GenericRecord;

/**
 * Reads one named value (a record field or a derived dimension) from an input record.
 *
 * <p>Values come back normalized whatever the record's representation (specific class, generic
 * record read from Avro or Parquet): {@link String} for text and enums, {@link Long} for integers
 * and timestamps (epoch millis), {@link java.math.BigDecimal} for decimals, {@link Double} for
 * floating point, {@link Boolean}, or {@code null} when the record has no value.
 */
public interface ValueExtractor {
  /** The name used in definitions (e.g. {@code status_class}). */
  String name();

  /** What the value holds. */
  ValueKind kind();

  /**
   * The value in {@code record}, normalized; {@code null} when absent.
   *
   * @throws io.oxbow.views.InvalidRecordException when the record lacks a field the value needs or
   *     holds a type that does not match
   */
  Object extract(GenericRecord record);
}
