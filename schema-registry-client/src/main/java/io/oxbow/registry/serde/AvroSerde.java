package io.oxbow.registry.serde;

import io.oxbow.registry.client.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka / Kafka Streams {@link Serde} of Avro values in Confluent's wire format: an {@link
 * AvroSerializer} and an {@link AvroDeserializer} under one type. {@code T} is the generated class
 * (with {@code specific.avro.reader=true}), {@code GenericRecord}, or a primitive type.
 *
 * <pre>{@code
 * AvroSerde<Order> orders = new AvroSerde<>();
 * orders.configure(Map.of("schema.registry.url", url, "specific.avro.reader", true), false);
 * }</pre>
 *
 * @param <T> the Java type of the values
 */
public class AvroSerde<T> implements Serde<T> {
  private final AvroSerializer serializer;
  private final AvroDeserializer deserializer;

  /** A serde that creates its registry client from the configuration. */
  public AvroSerde() {
    this.serializer = new AvroSerializer();
    this.deserializer = new AvroDeserializer();
  }

  /** A serde using the given client. */
  public AvroSerde(SchemaRegistryClient client) {
    this.serializer = new AvroSerializer(client);
    this.deserializer = new AvroDeserializer(client);
  }

  /**
   * A configured serde.
   *
   * @param configs the serde settings ({@link AvroSerdeConfig})
   * @param isKey whether it serializes keys
   */
  public static <T> AvroSerde<T> configured(Map<String, ?> configs, boolean isKey) {
    AvroSerde<T> serde = new AvroSerde<>();
    serde.configure(configs, isKey);
    return serde;
  }

  /**
   * A configured serde of generated classes: {@code specific.avro.reader=true} is added to the
   * settings.
   */
  public static <T> AvroSerde<T> specific(Map<String, ?> configs, boolean isKey) {
    Map<String, Object> withSpecific = new HashMap<>(configs);
    withSpecific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
    return configured(withSpecific, isKey);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return new Serializer<>() {
      @Override
      public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
      }

      @Override
      public byte[] serialize(String topic, T data) {
        return serializer.serialize(topic, data);
      }

      @Override
      public byte[] serialize(String topic, Headers headers, T data) {
        return serializer.serialize(topic, headers, data);
      }

      @Override
      public void close() {
        serializer.close();
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return new Deserializer<>() {
      @Override
      public void configure(Map<String, ?> configs, boolean isKey) {
        deserializer.configure(configs, isKey);
      }

      @Override
      @SuppressWarnings("unchecked")
      public T deserialize(String topic, byte[] data) {
        return (T) deserializer.deserialize(topic, data);
      }

      @Override
      @SuppressWarnings("unchecked")
      public T deserialize(String topic, Headers headers, byte[] data) {
        return (T) deserializer.deserialize(topic, headers, data);
      }

      @Override
      public void close() {
        deserializer.close();
      }
    };
  }

  @Override
  public void close() {
    serializer.close();
    deserializer.close();
  }
}
