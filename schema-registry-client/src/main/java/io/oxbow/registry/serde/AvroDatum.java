package io.oxbow.registry.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Java values to Avro: the schema of a value (null, Boolean, Integer, Long, Float, Double,
 * CharSequence, byte[]/ByteBuffer, else the record's own schema) and its binary encoding. A {@code
 * "bytes"} value is written raw, without Avro's length prefix, as Confluent's serializer does.
 */
final class AvroDatum {
  private static final Map<Schema.Type, Schema> PRIMITIVES = new ConcurrentHashMap<>();
  private static final GenericData GENERIC_WITH_LOGICAL_TYPES = genericWithLogicalTypes();
  private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

  private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();

  static Schema schemaOf(Object value) {
    if (value == null) {
      return primitive(Schema.Type.NULL);
    } else if (value instanceof Boolean) {
      return primitive(Schema.Type.BOOLEAN);
    } else if (value instanceof Integer) {
      return primitive(Schema.Type.INT);
    } else if (value instanceof Long) {
      return primitive(Schema.Type.LONG);
    } else if (value instanceof Float) {
      return primitive(Schema.Type.FLOAT);
    } else if (value instanceof Double) {
      return primitive(Schema.Type.DOUBLE);
    } else if (value instanceof CharSequence) {
      return primitive(Schema.Type.STRING);
    } else if (value instanceof byte[] || value instanceof ByteBuffer) {
      return primitive(Schema.Type.BYTES);
    } else if (value instanceof GenericContainer container) {
      return container.getSchema();
    }
    throw new IllegalArgumentException(
        "cannot serialize a "
            + value.getClass().getName()
            + " as Avro: expected a primitive, CharSequence, byte[], ByteBuffer or an Avro record");
  }

  private static Schema primitive(Schema.Type type) {
    return PRIMITIVES.computeIfAbsent(type, Schema::create);
  }

  /** Appends the value's Avro binary encoding under the schema to the stream. */
  void write(Schema schema, Object value, ByteArrayOutputStream out) throws IOException {
    if (schema.getType() == Schema.Type.BYTES) {
      if (value instanceof byte[] bytes) {
        out.write(bytes);
      } else {
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        out.write(bytes);
      }
      return;
    }
    Map<Schema, DatumWriter<Object>> writers =
        value instanceof SpecificRecord ? specificWriters : genericWriters;
    DatumWriter<Object> writer = writers.computeIfAbsent(schema, s -> writerFor(s, value));
    // a buffered encoder, reused per thread, hands the stream one block instead of single bytes
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODERS.get());
    ENCODERS.set(encoder);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      // the encoder still buffers the part written before the failure, and reusing it would flush
      // that part into the next value's stream: drop it
      ENCODERS.remove();
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private static DatumWriter<Object> writerFor(Schema schema, Object sample) {
    if (sample instanceof SpecificRecord) {
      return new SpecificDatumWriter<>(
          schema, (SpecificData) SpecificData.getForClass(sample.getClass()));
    }
    return new GenericDatumWriter<>(schema, GENERIC_WITH_LOGICAL_TYPES);
  }

  private static GenericData genericWithLogicalTypes() {
    GenericData data = new GenericData();
    data.addLogicalTypeConversion(new TimeConversions.DateConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    data.addLogicalTypeConversion(new org.apache.avro.Conversions.DecimalConversion());
    data.addLogicalTypeConversion(new org.apache.avro.Conversions.UUIDConversion());
    return data;
  }
}
