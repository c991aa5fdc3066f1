package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.registry.serde.AvroDeserializer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads {@code access-logs.enriched} values as page views: decodes only the fields attribution
 * needs ({@link #FIELDS}, resolved by Avro from the writer's schema, the other fields skipped) and
 * returns a {@link PageView}, or null for an event that is not a page view ({@link PageViews}). A
 * value that does not decode throws the Avro deserializer's {@code SerializationException}, which
 * the deserialization exception handler dead-letters.
 */
final class PageViewProjection implements Deserializer<PageView> {
  /** The fields read, in the order of {@link AccessLogEvent}'s schema. */
  static final List<String> FIELDS =
      List.of(
          "event_time",
          "request_valid",
          "method",
          "path",
          "status",
          "referrer",
          "country",
          "is_bot");

  static final Schema SCHEMA = projection(AccessLogEvent.getClassSchema(), FIELDS);

  private final AvroDeserializer avro = new AvroDeserializer(null, SCHEMA);

  /** A source serde over {@code registryUrl}; its serializer refuses to write. */
  static Serde<PageView> serde(String registryUrl) {
    PageViewProjection projection = new PageViewProjection();
    projection.configure(Map.of("schema.registry.url", registryUrl), false);
    Serializer<PageView> none =
        (topic, view) -> {
          throw new UnsupportedOperationException("page views are read from " + topic + " only");
        };
    return Serdes.serdeFrom(none, projection);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    avro.configure(configs, isKey);
  }

  @Override
  public PageView deserialize(String topic, byte[] data) {
    return deserialize(topic, null, data);
  }

  @Override
  public PageView deserialize(String topic, Headers headers, byte[] data) {
    GenericRecord event = (GenericRecord) avro.deserialize(topic, headers, data);
    if (event == null
        || !PageViews.isPageView(
            (Boolean) event.get(1),
            (Boolean) event.get(7),
            text(event.get(2)),
            (Integer) event.get(4),
            text(event.get(3)))) {
      return null;
    }
    return new PageView(
        (Long) event.get(0), text(event.get(3)), text(event.get(5)), text(event.get(6)));
  }

  @Override
  public void close() {
    avro.close();
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static Schema projection(Schema full, List<String> names) {
    List<Schema.Field> fields =
        names.stream()
            .map(full::getField)
            .map(f -> new Schema.Field(f.name(), f.schema(), f.doc(), f.defaultVal()))
            .toList();
    Schema schema =
        Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
    return schema;
  }
}
