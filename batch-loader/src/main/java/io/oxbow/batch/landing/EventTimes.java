package io.oxbow.batch.landing;

import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** Reads a record's event time (UTC epoch millis) from the dataset's time field. */
final class EventTimes {
  private EventTimes() {}

  /**
   * The value of {@code field} as epoch millis.
   *
   * @throws IllegalArgumentException naming the field when it is missing, null or not a time
   */
  static long of(GenericRecord record, String field) {
    Schema.Field f = record.getSchema().getField(field);
    if (f == null) {
      throw new IllegalArgumentException(
          "record " + record.getSchema().getFullName() + " has no event-time field " + field);
    }
    Object value = record.get(f.pos());
    if (value instanceof Long millis) {
      return millis;
    }
    if (value instanceof Instant instant) {
      return instant.toEpochMilli();
    }
    throw new IllegalArgumentException(
        "event-time field "
            + field
            + " of "
            + record.getSchema().getFullName()
            + " is "
            + (value == null ? "null" : "not a timestamp: " + value.getClass().getSimpleName()));
  }
}
