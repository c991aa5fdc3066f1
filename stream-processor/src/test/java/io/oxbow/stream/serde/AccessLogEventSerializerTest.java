package io.oxbow.stream.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.registry.client.SchemaRegistryClient;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerializer;
import io.oxbow.registry.server.MockSchemaRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The enriched events' serializer against the registry's general serializer: the same subject,
 * schema id and bytes when the encoder fits, and the general serializer's bytes (never the
 * encoder's) when the generated or the registered schema is not the one the encoder was written
 * for.
 */
class AccessLogEventSerializerTest {
  private static final String TOPIC = "access-logs.enriched";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String scope = "encoder-" + UUID.randomUUID();

  private Map<String, Object> config(Object... pairs) {
    Map<String, Object> m = new HashMap<>();
    m.put("schema.registry.url", "mock://" + scope);
    m.put("specific.avro.reader", true);
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private AvroSerializer general(Map<String, Object> config) {
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(config, false);
    return serializer;
  }

  @Test
  void shouldWriteTheGeneralSerializersBytesUnderTheSameSubjectAndId() {
    AccessLogEventSerializer direct = new AccessLogEventSerializer(general(config()));
    AvroSerializer general = general(config());
    Random random = new Random(11);
    for (int i = 0; i < 2_000; i++) {
      AccessLogEvent event = AccessLogEventEncoderTest.generated(random, true);
      assertThat(direct.serialize(TOPIC, event)).isEqualTo(general.serialize(TOPIC, event));
    }
    assertThat(direct.writesDirectly(TOPIC)).isTrue();
    SchemaRegistryClient client = MockSchemaRegistry.client(scope);
    assertThat(client.subjects()).containsExactly(TOPIC + "-value");
    assertThat(client.latest(TOPIC + "-value").schema())
        .isEqualTo(AccessLogEvent.getClassSchema().toString());
    assertThat(direct.serialize(TOPIC, null)).isNull();
  }

  @Test
  void shouldBeReadBackByTheGeneralDeserializer() {
    AccessLogEventSerializer direct = new AccessLogEventSerializer(general(config()));
    AvroDeserializer reader = new AvroDeserializer();
    reader.configure(config(), false);
    Random random = new Random(5);
    for (int i = 0; i < 500; i++) {
      AccessLogEvent event = utf8(AccessLogEventEncoderTest.generated(random, true));
      assertThat(reader.deserialize(TOPIC, direct.serialize(TOPIC, event))).isEqualTo(event);
    }
  }

  /** The event with its strings as UTF-8 carries them: a lone surrogate becomes '?'. */
  private static AccessLogEvent utf8(AccessLogEvent event) {
    for (Schema.Field field : event.getSchema().getFields()) {
      Object value = event.get(field.pos());
      if (value instanceof String text) {
        event.put(field.pos(), utf8(text));
      } else if (value instanceof List<?> list) {
        event.put(field.pos(), list.stream().map(item -> utf8((String) item)).toList());
      }
    }
    return event;
  }

  private static String utf8(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  @Test
  void shouldDetectAFieldAddedToTheGeneratedSchemaAndWriteWithTheGeneralSerializer()
      throws IOException {
    Schema added = changed(fields -> fields.addObject().put("name", "added").put("type", "int"));
    String mismatch = AccessLogEventEncoder.SHAPE.mismatch(added);
    assertThat(mismatch).contains("1 more field(s), from 'added: int'");

    AccessLogEventSerializer direct = new AccessLogEventSerializer(general(config()), added);
    AvroSerializer general = general(config());
    AccessLogEvent event = AccessLogEventEncoderTest.generated(new Random(9), true);
    assertThat(direct.writesDirectly(TOPIC)).isFalse();
    assertThat(direct.serialize(TOPIC, event)).isEqualTo(general.serialize(TOPIC, event));
  }

  @Test
  void shouldDetectEveryKindOfChangeThatAltersTheEncoding() throws IOException {
    assertThat(
            AccessLogEventEncoder.SHAPE.mismatch(
                changed(
                    fields ->
                        ((ObjectNode) fields.get(3)).put("type", "string").remove("default"))))
        .isEqualTo("field 3 is 'user: string', expected 'user: [null, string]'");
    assertThat(AccessLogEventEncoder.SHAPE.mismatch(changed(fields -> fields.remove(28))))
        .isEqualTo("the schema lacks field(s) from 'is_bot: boolean'");
    assertThat(
            AccessLogEventEncoder.SHAPE.mismatch(
                changed(fields -> fields.insert(0, fields.remove(1)))))
        .startsWith("field 0 is 'client_kind");
    assertThat(
            AccessLogEventEncoder.SHAPE.mismatch(
                changed(
                    fields ->
                        ((ObjectNode) fields.get(4).get("type"))
                            .put("logicalType", "timestamp-micros"))))
        .contains("timestamp-micros");
    assertThat(
            AccessLogEventEncoder.SHAPE.mismatch(
                changed(
                    fields ->
                        ((ObjectNode) fields.get(1))
                            .set(
                                "type",
                                JSON.readTree(
                                    "{\"type\":\"enum\",\"name\":\"ClientKind\",\"symbols\":"
                                        + "[\"IPV6\",\"IPV4\",\"HOSTNAME\"]}")))))
        .contains("[IPV6, IPV4, HOSTNAME]");
    // docs and defaults do not change the encoding
    assertThat(
            AccessLogEventEncoder.SHAPE.mismatch(
                changed(fields -> ((ObjectNode) fields.get(0)).put("doc", "another doc"))))
        .isNull();
  }

  @Test
  void shouldWriteWithTheGeneralSerializerWhenTheRegistrysLatestSchemaDiffers() throws IOException {
    // an older version of the contract, without the last field, as the subject's latest
    Schema older = changed(fields -> fields.remove(28));
    SchemaRegistryClient client = MockSchemaRegistry.client(scope);
    client.register(TOPIC + "-value", older);
    Map<String, Object> latest = config("auto.register.schemas", false, "use.latest.version", true);
    AccessLogEventSerializer direct = new AccessLogEventSerializer(general(latest));
    AvroSerializer general = general(latest);
    AccessLogEvent event = AccessLogEventEncoderTest.generated(new Random(13), true);
    assertThat(direct.writesDirectly(TOPIC)).isFalse();
    byte[] written = direct.serialize(TOPIC, event);
    assertThat(written).isEqualTo(general.serialize(TOPIC, event));
    assertThat(written.length)
        .isLessThan(new AccessLogEventSerializer(general(config())).serialize(TOPIC, event).length);
  }

  @Test
  void shouldWriteDirectlyUnderTheRegistrysLatestSchemaWhenItHasTheSameShape() {
    SchemaRegistryClient client = MockSchemaRegistry.client(scope);
    int id = client.register(TOPIC + "-value", AccessLogEvent.getClassSchema());
    Map<String, Object> latest = config("auto.register.schemas", false, "use.latest.version", true);
    AccessLogEventSerializer direct = new AccessLogEventSerializer(general(latest));
    AccessLogEvent event = AccessLogEventEncoderTest.generated(new Random(17), true);
    assertThat(direct.writesDirectly(TOPIC)).isTrue();
    assertThat(direct.serialize(TOPIC, event))
        .isEqualTo(general(latest).serialize(TOPIC, event))
        .startsWith(0, 0, 0, 0, id);
  }

  /** A copy of the contract's AccessLogEvent.avsc with its fields changed. */
  private static Schema changed(ThrowingConsumer<ArrayNode> change) throws IOException {
    Path avro = Path.of(System.getProperty("oxbow.root"), "contracts", "src", "main", "avro");
    ObjectNode schema =
        (ObjectNode) JSON.readTree(Files.readString(avro.resolve("AccessLogEvent.avsc")));
    change.accept((ArrayNode) schema.get("fields"));
    Schema.Parser parser = new Schema.Parser();
    String text = JSON.writeValueAsString(schema);
    if (!text.contains("\"symbols\"")) { // unless the change defines the enum in place
      parser.parse(Files.readString(avro.resolve("common").resolve("ClientKind.avsc")));
    }
    return parser.parse(text);
  }

  private interface ThrowingConsumer<T> {
    void accept(T value) throws IOException;
  }
}
