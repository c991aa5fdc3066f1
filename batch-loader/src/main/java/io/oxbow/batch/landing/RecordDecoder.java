package io.oxbow.batch.landing;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Turns a record value into an Avro record carrying its <em>writer</em> schema, so a field added by
 * a newer producer lands as a new column. The loader's default is the registry's Avro deserializer
 * (Confluent wire format).
 */
@FunctionalInterface
public interface RecordDecoder extends AutoCloseable {
  /**
   * Decodes one value.
   *
   * @throws RuntimeException with a message saying what is wrong with the bytes
   */
  GenericRecord decode(String topic, Headers headers, byte[] value);

  /**
   * Where the Avro binary body of {@code value} starts, and its writer schema, when the decoder can
   * tell without decoding it (the Confluent wire format: schema id then body); null otherwise. A
   * value located here still decodes with {@link #decode} to the same record.
   */
  default AvroBody locate(String topic, Headers headers, byte[] value) {
    return null;
  }

  @Override
  default void close() {}

  /**
   * The Avro binary body of a value.
   *
   * @param schema its writer schema
   * @param offset where it starts in the value
   */
  record AvroBody(Schema schema, int offset) {}
}
