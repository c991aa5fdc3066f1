package io.oxbow.batch.landing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.Utf8;

/**
 * Generic records of any schema the landing fast path handles, with the values that tend to break
 * encoders: nulls, empty strings and arrays, unicode (and malformed UTF-8), numeric extremes, NaN
 * and signed zeros. Seeded, so a failure repeats.
 */
final class RandomRecords {
  private static final String[] STRINGS = {
    "", "a", "GET /index.html HTTP/1.1", "Zürich", "日本語のパス", "emoji 😀 here", "tab\tand\nnewline"
  };
  private static final byte[][] BAD_UTF8 = {
    {(byte) 0xc3, 0x28},
    {(byte) 0xff},
    {'o', 'k', (byte) 0xe2, (byte) 0x82},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80}
  };
  private static final int[] INTS = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 200, -64, 64};
  private static final long[] LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1431856800000L};
  private static final float[] FLOATS = {
    0f, -0f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE
  };
  private static final double[] DOUBLES = {
    0d, -0d, 2.25, Double.NaN, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE
  };

  private final Random random;

  RandomRecords(long seed) {
    this.random = new Random(seed);
  }

  /** A record of {@code schema} whose {@code timeField} holds a time within 2015-05-17. */
  GenericData.Record record(Schema schema, String timeField) {
    GenericData.Record record = (GenericData.Record) value(schema, 0);
    if (timeField != null) {
      record.put(timeField, 1431820800000L + random.nextInt(86_400_000));
    }
    return record;
  }

  private Object value(Schema schema, int depth) {
    switch (schema.getType()) {
      case NULL:
        return null;
      case BOOLEAN:
        return random.nextBoolean();
      case INT:
        return INTS[random.nextInt(INTS.length)];
      case LONG:
        return LONGS[random.nextInt(LONGS.length)];
      case FLOAT:
        return FLOATS[random.nextInt(FLOATS.length)];
      case DOUBLE:
        return DOUBLES[random.nextInt(DOUBLES.length)];
      case STRING:
        return random.nextInt(8) == 0
            ? new Utf8(BAD_UTF8[random.nextInt(BAD_UTF8.length)])
            : new Utf8(STRINGS[random.nextInt(STRINGS.length)]);
      case BYTES:
        byte[] bytes = new byte[random.nextInt(6)];
        random.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
      case FIXED:
        byte[] fixed = new byte[schema.getFixedSize()];
        random.nextBytes(fixed);
        return new GenericData.Fixed(schema, fixed);
      case ENUM:
        List<String> symbols = schema.getEnumSymbols();
        return new GenericData.EnumSymbol(schema, symbols.get(random.nextInt(symbols.size())));
      case RECORD:
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), value(field.schema(), depth + 1));
        }
        return record;
      case ARRAY:
        int size = depth > 3 ? 0 : random.nextInt(4);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          items.add(value(schema.getElementType(), depth + 1));
        }
        return new GenericData.Array<>(schema, items);
      case UNION:
        List<Schema> types = schema.getTypes();
        return value(types.get(random.nextInt(types.size())), depth + 1);
      default:
        throw new IllegalArgumentException(schema.getType().getName());
    }
  }
}
