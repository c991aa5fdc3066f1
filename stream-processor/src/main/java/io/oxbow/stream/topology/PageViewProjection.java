package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.views.record.PageViewRule;
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
 * returns a {@link PageView}, or null for an event that is not a page view ({@link PageViewRule}).
 * A value that does not decode throws the Avro deserializer's {@code SerializationException}, which
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

  // positions in the projection, looked up once by name
  private static final int EVENT_TIME = SCHEMA.getField("event_time").pos();
  private static final int REQUEST_VALID = SCHEMA.getField("request_valid").pos();
  private static final int METHOD = SCHEMA.getField("method").pos();
  private static final int PATH = SCHEMA.getField("path").pos();
  private static final int STATUS = SCHEMA.getField("status").pos();
  private static final int REFERRER = SCHEMA.getField("referrer").pos();
  private static final int COUNTRY = SCHEMA.getField("country").pos();
  private static final int IS_BOT = SCHEMA.getField("is_bot").pos();

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
    if (event == null) {
      return null;
    }
    String path = text(event.get(PATH));
    if (!PageViewRule.isPageView(
        (Boolean) event.get(REQUEST_VALID),
        (Boolean) event.get(IS_BOT),
        text(event.get(METHOD)),
        (Integer) event.get(STATUS),
        path)) {
      return null;
    }
    return new PageView(
        (Long) event.get(EVENT_TIME), path, text(event.get(REFERRER)), text(event.get(COUNTRY)));
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
    return Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
  }
}
