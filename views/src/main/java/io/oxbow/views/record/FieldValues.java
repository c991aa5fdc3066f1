package io.oxbow.views.record;

import io.oxbow.views.InvalidRecordException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads fields of Avro records by name, through {@link GenericRecord} (which specific records
 * implement too), and normalizes their values (see {@link ValueExtractor}).
 */
public final class FieldValues {
  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

  private FieldValues() {}

  /**
   * The kind of values a field of {@code schema} holds, or {@code null} when the field cannot be
   * read as a single value (arrays, maps, records, plain bytes).
   */
  public static ValueKind kindOf(Schema schema) {
    Schema type = nonNull(schema);
    if (type == null) {
      return null;
    }
    return switch (type.getType()) {
      case STRING, ENUM -> ValueKind.STRING;
      case INT, LONG, FLOAT, DOUBLE -> ValueKind.NUMBER;
      case BOOLEAN -> ValueKind.BOOLEAN;
      case BYTES, FIXED ->
          type.getLogicalType() instanceof LogicalTypes.Decimal ? ValueKind.NUMBER : null;
      default -> null;
    };
  }

  /**
   * The normalized value of field {@code name} of {@code record}.
   *
   * @throws InvalidRecordException when the record's schema has no such field or the value has a
   *     type that cannot be normalized
   */
  public static Object read(GenericRecord record, String name) {
    Schema.Field field = record.getSchema().getField(name);
    if (field == null) {
      throw new InvalidRecordException(
          "record of schema " + record.getSchema().getFullName() + " has no field '" + name + "'");
    }
    return normalize(record.get(field.pos()), field.schema(), name);
  }

  /**
   * Event time of {@code record} in epoch millis (field {@code event_time}, or {@code start_time}
   * for records without one, such as visits, which are timed by their first page view); never null.
   */
  public static long eventTime(GenericRecord record) {
    Schema.Field field = record.getSchema().getField("event_time");
    String name = "event_time";
    if (field == null && record.getSchema().getField("start_time") != null) {
      field = record.getSchema().getField("start_time");
      name = "start_time";
    }
    Object raw = field == null ? null : record.get(field.pos());
    // the usual forms first, without boxing: a timestamp-millis field of a generated class or of
    // a generic record
    if (raw instanceof Instant instant) {
      return instant.toEpochMilli();
    }
    if (raw instanceof Long millis) {
      return millis;
    }
    Object value = read(record, name);
    if (!(value instanceof Long millis)) {
      throw new InvalidRecordException(
          "record of schema "
              + record.getSchema().getFullName()
              + " has no event time (field '"
              + name
              + "' is "
              + value
              + ")");
    }
    return millis;
  }

  /** The value as text: numbers in plain decimal, booleans as true/false; null stays null. */
  public static String asText(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    return value.toString();
  }

  /** The value as an exact decimal, or null for null. Doubles convert by their decimal text. */
  public static BigDecimal asDecimal(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    if (value instanceof Long l) {
      return BigDecimal.valueOf(l);
    }
    if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new IllegalArgumentException("not a finite number: " + d);
      }
      return BigDecimal.valueOf(d);
    }
    throw new IllegalArgumentException("not a number: " + value);
  }

  static Object normalize(Object raw, Schema schema, String name) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof CharSequence || raw instanceof GenericEnumSymbol<?> || raw instanceof Enum) {
      return raw.toString();
    }
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof Float || raw instanceof Double) {
      return ((Number) raw).doubleValue();
    }
    if (raw instanceof Boolean || raw instanceof BigDecimal) {
      return raw;
    }
    if (raw instanceof Instant instant) {
      return instant.toEpochMilli();
    }
    Schema type = nonNull(schema);
    LogicalType logical = type == null ? null : type.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal) {
      if (raw instanceof ByteBuffer buffer) {
        return DECIMALS.fromBytes(buffer.duplicate(), type, logical);
      }
      if (raw instanceof GenericFixed fixed) {
        return DECIMALS.fromFixed(fixed, type, logical);
      }
    }
    throw new InvalidRecordException(
        "field '" + name + "' holds a " + raw.getClass().getSimpleName() + ", not a single value");
  }

  /** The schema itself, or the one non-null branch of a [null, X] union; null otherwise. */
  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    List<Schema> branches =
        schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
    return branches.size() == 1 ? branches.get(0) : null;
  }
}
