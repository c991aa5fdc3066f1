package io.oxbow.batch.landing;

import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerdeConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes Confluent wire-format Avro values with the schema registry into generic records of their
 * writer schema (never a generated class, so fields added by newer producers are kept).
 */
public final class RegistryDecoder implements RecordDecoder {
  private final AvroDeserializer deserializer;

  /**
   * A decoder for the registry at {@code registryUrl} ({@code http://...}, or {@code mock://scope}
   * for an in-memory registry shared within the JVM).
   *
   * @param extra further serde settings (Confluent names, e.g. basic auth), may be empty
   */
  public RegistryDecoder(String registryUrl, Map<String, ?> extra) {
    Map<String, Object> config = new HashMap<>(extra);
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
    config.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
    this.deserializer = new AvroDeserializer();
    deserializer.configure(config, false);
  }

  @Override
  public GenericRecord decode(String topic, Headers headers, byte[] value) {
    Object decoded = deserializer.deserialize(topic, headers, value);
    if (decoded instanceof GenericRecord record) {
      return record;
    }
    throw new IllegalArgumentException(
        "the value is not an Avro record but "
            + (decoded == null ? "null" : decoded.getClass().getSimpleName()));
  }

  @Override
  public void close() {
    deserializer.close();
  }
}
