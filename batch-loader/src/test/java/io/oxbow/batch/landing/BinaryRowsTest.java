package io.oxbow.batch.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.registry.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which records the landing fast path takes: well-formed values of a schema it handles; every other
 * value is left to the general path, which decodes it and says what is wrong.
 */
class BinaryRowsTest {
  private static final String REGISTRY = "mock://binary-rows-test";
  private static final String TOPIC = "hits";
  private static final Schema OPTIONAL_TIME =
      SchemaBuilder.record("Timed")
          .namespace("io.oxbow.test")
          .fields()
          .requiredString("id")
          .optionalLong("event_time")
          .endRecord();
  private static final Schema WITH_MAP =
      SchemaBuilder.record("Mapped")
          .namespace("io.oxbow.test")
          .fields()
          .requiredLong("event_time")
          .name("tags")
          .type()
          .map()
          .values()
          .stringType()
          .noDefault()
          .endRecord();

  private final RegistryDecoder decoder = new RegistryDecoder(REGISTRY, Map.of());
  private final BinaryRows rows = new BinaryRows(decoder);

  @AfterEach
  void close() {
    decoder.close();
  }

  private static byte[] serialize(GenericRecord record) {
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(Map.of("schema.registry.url", REGISTRY), false);
    // a subject per schema: the registry checks compatibility within a subject
    return serializer.serialize(topicOf(record.getSchema()), record);
  }

  private static String topicOf(Schema schema) {
    return TOPIC + "-" + schema.getName();
  }

  private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
    return new ConsumerRecord<>(TOPIC, 0, 7L, null, value);
  }

  @Test
  void shouldTakeAWellFormedRecordWithItsEventTimeAndWriterSchema() {
    byte[] value = serialize(TestRecords.v2("a", 1431856800123L, "note"));
    // the registry allows V2 after V1 in one subject (an added optional field)
    serialize(TestRecords.v1("old", 1L));
    LandingRow.Encoded row = rows.encode(record(value), "event_time");
    assertThat(row).isNotNull();
    assertThat(row.eventTime()).isEqualTo(1431856800123L);
    assertThat(row.schema()).isEqualTo(TestRecords.V2);
    assertThat(row.offset()).isEqualTo(5);
  }

  @Test
  void shouldLeaveBadValuesToTheGeneralPathWhichSaysWhatIsWrong() {
    byte[] good = serialize(TestRecords.v1("a", 5L));
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    byte[] notAvro = "plain text, not Avro".getBytes(StandardCharsets.UTF_8);
    GenericRecord nullTime = new GenericData.Record(OPTIONAL_TIME);
    nullTime.put("id", "x");
    byte[] noTime = serialize(nullTime);

    assertThat(rows.encode(record(null), "event_time")).isNull();
    assertThat(rows.encode(record(truncated), "event_time")).isNull();
    assertThat(rows.encode(record(notAvro), "event_time")).isNull();
    assertThat(rows.encode(record(noTime), "event_time")).isNull();

    assertThatThrownBy(() -> decoder.decode(TOPIC, null, truncated))
        .hasMessageContaining("does not decode");
    assertThatThrownBy(() -> decoder.decode(TOPIC, null, notAvro)).hasMessageContaining("magic");
    assertThatThrownBy(() -> EventTimes.of(decoder.decode(TOPIC, null, noTime), "event_time"))
        .hasMessageContaining("event_time")
        .hasMessageContaining("null");
  }

  @Test
  void shouldLeaveSchemasWithoutAPlanAndOtherTimeFieldsToTheGeneralPath() {
    GenericRecord mapped = new GenericData.Record(WITH_MAP);
    mapped.put("event_time", 5L);
    mapped.put("tags", Map.of("k", "v"));
    assertThat(rows.encode(record(serialize(mapped)), "event_time")).isNull();
    byte[] hit = serialize(TestRecords.v1("a", 5L));
    assertThat(rows.encode(record(hit), "id")).isNull();
    assertThat(rows.encode(record(hit), "no_such_field")).isNull();
    assertThat(rows.encode(record(hit), "event_time")).isNotNull();
  }
}
