package io.oxbow.batch.landing;

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

  @Override
  default void close() {}
}
