package io.oxbow.batch.landing;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * One record to land in a Parquet file: either decoded into a generic record of its writer schema
 * (the general path), or still the Avro binary body of a record whose writer schema a {@link
 * BinaryPlan} handles, written column by column without building the record. Both give the same
 * Parquet row.
 */
sealed interface LandingRow {
  /** The record's writer schema: one file holds rows of one schema. */
  Schema schema();

  /** A row decoded into a generic record. */
  static LandingRow of(GenericRecord record) {
    return new Decoded(record);
  }

  /**
   * A decoded record.
   *
   * @param record the record, of its writer schema
   */
  record Decoded(GenericRecord record) implements LandingRow {
    @Override
    public Schema schema() {
      return record.getSchema();
    }
  }

  /**
   * An Avro binary record body that {@link BinaryPlan#scan} has checked.
   *
   * @param plan the plan of its writer schema
   * @param data the bytes holding it
   * @param offset where the body starts in {@code data}
   * @param eventTime the event time read from it
   */
  record Encoded(BinaryPlan plan, byte[] data, int offset, long eventTime) implements LandingRow {
    @Override
    public Schema schema() {
      return plan.schema();
    }
  }
}
