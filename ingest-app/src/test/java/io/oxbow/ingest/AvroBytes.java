package io.oxbow.ingest;

import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.OrderItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.serialization.Serializer;

/** Plain Avro binary (no registry) for the tests: what the app writes is read back exactly. */
final class AvroBytes {
  static {
    // Avro 1.12 only instantiates trusted classes by name: trust the contracts' generated ones
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(),
            ClassSecurityValidator.builder()
                .add(Order.class)
                .add(OrderItem.class)
                .add(io.oxbow.contracts.avro.RawLogLine.class)
                .build()));
  }

  private AvroBytes() {}

  static <T extends SpecificRecord> Serializer<T> serializer() {
    return (topic, value) -> {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) value.getClass();
        new SpecificDatumWriter<>(type).write(value, encoder);
        encoder.flush();
        return out.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  static <T extends SpecificRecord> T read(byte[] bytes, Class<T> type) {
    try {
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
      return new SpecificDatumReader<>(type).read(null, decoder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
