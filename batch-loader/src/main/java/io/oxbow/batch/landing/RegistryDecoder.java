package io.oxbow.batch.landing;

import io.oxbow.registry.client.SchemaRegistryClient;
import io.oxbow.registry.client.SchemaRegistryClients;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.registry.serde.WireFormat;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes Confluent wire-format Avro values with the schema registry into generic records of their
 * writer schema (never a generated class, so fields added by newer producers are kept), and
 * {@linkplain #locate locates} their binary body and writer schema for the landing fast path. The
 * schema id is read from the {@code __value_schema_id} header when there is one, else from the
 * value's first five bytes, as the registry's deserializer does.
 */
public final class RegistryDecoder implements RecordDecoder {
  private final SchemaRegistryClient client;
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
    this.client = SchemaRegistryClients.create(config);
    this.deserializer = new AvroDeserializer(client);
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
  public AvroBody locate(String topic, Headers headers, byte[] value) {
    Header header =
        headers == null ? null : headers.lastHeader(AvroDeserializer.VALUE_SCHEMA_ID_HEADER);
    int id;
    int offset;
    if (header == null) {
      id = WireFormat.schemaId(topic, false, value);
      offset = WireFormat.HEADER_SIZE;
    } else {
      byte[] v = header.value();
      if (v == null || v.length != WireFormat.HEADER_SIZE || v[0] != WireFormat.MAGIC) {
        return null;
      }
      id = ByteBuffer.wrap(v, 1, 4).getInt();
      offset = 0;
    }
    // the deserializer's cache of writer schemas, which the general path fills too
    return new AvroBody(deserializer.writerSchema(topic, id), offset);
  }

  @Override
  public void close() {
    deserializer.close();
    client.close();
  }
}
