package io.oxbow.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.User;
import io.oxbow.registry.client.SchemaRegistryClient;
import io.oxbow.registry.server.MockSchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

/** The serde against an in-memory ({@code mock://}) registry: settings, strategies, Streams. */
class AvroSerdeTest {
  private final String scope = "serde-" + UUID.randomUUID();
  private final String url = "mock://" + scope;

  private Map<String, Object> config(Object... pairs) {
    Map<String, Object> m = new HashMap<>();
    m.put("schema.registry.url", url);
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static User ann() {
    return User.newBuilder().setId(1L).setName("Ann").setEmail(null).build();
  }

  @Test
  void shouldRegisterUnderTopicNameSubjectsForKeysAndValues() {
    AvroSerializer keys = new AvroSerializer();
    keys.configure(config(), true);
    AvroSerializer values = new AvroSerializer();
    values.configure(config(), false);
    keys.serialize("orders", "10.0.0.1");
    values.serialize("orders", ann());
    SchemaRegistryClient client = MockSchemaRegistry.client(scope);
    assertThat(client.subjects()).containsExactly("orders-key", "orders-value");
    assertThat(client.latest("orders-value").schema()).isEqualTo(User.getClassSchema().toString());
  }

  @Test
  void shouldWriteEachTopicsOwnSchemaIdWhenTopicsAndSchemasAlternate() {
    AvroSerializer values = new AvroSerializer();
    values.configure(config(), false);
    SchemaRegistryClient client = MockSchemaRegistry.client(scope);
    int stringId = client.register("names-value", Schema.create(Schema.Type.STRING));
    for (int i = 0; i < 3; i++) {
      byte[] user = values.serialize("users", ann());
      byte[] name = values.serialize("names", "Ann");
      byte[] userAgain = values.serialize("users-copy", ann());
      assertThat(user).startsWith(WireFormat.header(client.latest("users-value").id()));
      assertThat(name).startsWith(WireFormat.header(stringId));
      assertThat(userAgain).startsWith(WireFormat.header(client.latest("users-copy-value").id()));
    }
    assertThat(client.subjects())
        .containsExactlyInAnyOrder("users-value", "names-value", "users-copy-value");
  }

  @Test
  void shouldNameSubjectsByRecordStrategies() {
    AvroSerializer byRecord = new AvroSerializer();
    byRecord.configure(
        config(
            "value.subject.name.strategy",
            "io.confluent.kafka.serializers.subject.RecordNameStrategy"),
        false);
    AvroSerializer byTopicRecord = new AvroSerializer();
    byTopicRecord.configure(
        config("value.subject.name.strategy", "TopicRecordNameStrategy"), false);
    byRecord.serialize("users", ann());
    byTopicRecord.serialize("users", ann());
    assertThat(MockSchemaRegistry.client(scope).subjects())
        .containsExactly("com.example.User", "users-com.example.User");
    assertThatThrownBy(() -> byRecord.serialize("users", 42))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("record schema");
    assertThatThrownBy(
            () -> new AvroSerializer().configure(config("value.subject.name.strategy", "X"), false))
        .hasMessageContaining("value.subject.name.strategy");
  }

  @Test
  void shouldDecodeSpecificOnlyWhenAsked() {
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(config(), false);
    byte[] bytes = serializer.serialize("users", ann());

    AvroDeserializer generic = new AvroDeserializer();
    generic.configure(config(), false);
    assertThat(generic.deserialize("users", bytes)).isInstanceOf(GenericRecord.class);

    AvroDeserializer specific = new AvroDeserializer();
    specific.configure(config("specific.avro.reader", "true"), false);
    assertThat(specific.deserialize("users", bytes)).isEqualTo(ann());
  }

  @Test
  void shouldLookUpWithoutAutoRegisterAndFailWhenAbsent() {
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(config("auto.register.schemas", false), false);
    assertThatThrownBy(() -> serializer.serialize("users", ann()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic users")
        .hasMessageContaining("users-value");
    int id = MockSchemaRegistry.client(scope).register("users-value", User.getClassSchema());
    assertThat(serializer.serialize("users", ann())).startsWith(WireFormat.header(id));
  }

  @Test
  void shouldWriteWithLatestVersionWhenConfigured() {
    Schema v2 =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\",\"type\":\"string\"},"
                    + "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null},"
                    + "{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}");
    SchemaRegistryClient client = MockSchemaRegistry.client(scope);
    client.register("users-value", User.getClassSchema());
    int latest = client.register("users-value", v2);
    GenericRecord record = new GenericData.Record(v2);
    record.put("id", 2L);
    record.put("name", "Bo");
    record.put("age", 7);
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(config("auto.register.schemas", false, "use.latest.version", true), false);
    byte[] bytes = serializer.serialize("users", record);
    assertThat(bytes).startsWith(WireFormat.header(latest));
  }

  @Test
  void shouldReadTheSchemaIdHeaderForm() {
    SchemaRegistryClient client = MockSchemaRegistry.client(scope);
    int id = client.register("t-value", Schema.create(Schema.Type.INT));
    AvroDeserializer deserializer = new AvroDeserializer();
    deserializer.configure(config(), false);
    RecordHeaders headers = new RecordHeaders();
    headers.add(AvroDeserializer.VALUE_SCHEMA_ID_HEADER, WireFormat.header(id));
    assertThat(deserializer.deserialize("t", headers, new byte[] {0x54})).isEqualTo(42);
    RecordHeaders guid = new RecordHeaders();
    guid.add(AvroDeserializer.VALUE_SCHEMA_ID_HEADER, new byte[17]);
    assertThatThrownBy(() -> deserializer.deserialize("t", guid, new byte[] {0x54}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("__value_schema_id");
  }

  @Test
  void shouldRefuseIncompatibleSchemaWithClearError() {
    Schema incompatible =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"string\"}]}");
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(config(), false);
    serializer.serialize("users", ann());
    GenericRecord bad = new GenericData.Record(incompatible);
    bad.put("id", "x");
    assertThatThrownBy(() -> serializer.serialize("users", bad))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("incompatible");
    assertThat(MockSchemaRegistry.client(scope).compatibility(Optional.empty()))
        .isEqualTo("BACKWARD");
  }

  @Test
  void shouldRunInKafkaStreamsWithTombstones() {
    Map<String, Object> cfg = config();
    AvroSerde<User> values = AvroSerde.specific(cfg, false);
    AvroSerde<String> keys = AvroSerde.configured(cfg, true);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in", Consumed.with(keys, values)).to("out", Produced.with(keys, values));
    java.util.Properties props = new java.util.Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "serde-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, User> in =
          driver.createInputTopic("in", keys.serializer(), values.serializer());
      TestOutputTopic<String, User> out =
          driver.createOutputTopic("out", keys.deserializer(), values.deserializer());
      in.pipeInput("k1", ann());
      in.pipeInput("k2", null);
      assertThat(out.readKeyValuesToList())
          .extracting(kv -> kv.key + "=" + kv.value)
          .containsExactly("k1=" + ann(), "k2=null");
    }
    assertThat(MockSchemaRegistry.client(scope).subjects())
        .contains("in-key", "in-value", "out-key", "out-value");
  }

  @Test
  void shouldLeaveNoPartOfAFailedValueInTheNextValuesBytes() {
    AvroSerializer values = new AvroSerializer();
    values.configure(config(), false);
    byte[] before = values.serialize("users", ann());
    User noName = ann();
    noName.put("name", null); // not nullable: Avro fails after writing the id
    assertThatThrownBy(() -> values.serialize("users", noName))
        .isInstanceOf(SerializationException.class);
    assertThat(values.serialize("users", ann())).isEqualTo(before);
  }
}
