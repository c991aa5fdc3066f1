package io.oxbow.stream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.registry.serde.AvroBinaryWriter;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerializer;
import io.oxbow.registry.serde.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The hand-written raw-line decoder against the registry's general deserializer, field by field:
 * every line of the bundled samples, generated lines (empty, binary, unicode, extreme numbers),
 * malformed UTF-8 and truncated values, and other versions of the schema, which must go through
 * Avro's resolution instead.
 */
class RawLogLineDeserializerTest {
  private static final String TOPIC = "access-logs.raw";
  private static final String[] TEXTS = {
    "", "access.log", " padded\t", "日本語", "emoji \uD83D\uDE00", "lone \uD800", "x".repeat(200), "é"
  };
  private static final long[] LONGS = {
    0, -1, 1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE, 1_733_400_000_000L
  };
  private static final int[] INTS = {0, -1, 1, 63, 64, Integer.MAX_VALUE, Integer.MIN_VALUE};

  private final String scope = "raw-" + UUID.randomUUID();
  private final Map<String, Object> config =
      Map.of("schema.registry.url", "mock://" + scope, "specific.avro.reader", true);
  private final AvroSerializer writer = new AvroSerializer();
  private final AvroDeserializer general = new AvroDeserializer();
  private final RawLogLineDeserializer direct;

  RawLogLineDeserializerTest() {
    writer.configure(config, false);
    general.configure(config, false);
    AvroDeserializer fallback = new AvroDeserializer();
    fallback.configure(config, false);
    direct = new RawLogLineDeserializer(fallback);
  }

  private void assertSameAsGeneral(byte[] data) {
    RawLogLine expected = (RawLogLine) general.deserialize(TOPIC, data);
    RawLogLine actual = direct.deserialize(TOPIC, data);
    assertThat(actual.getLine()).isEqualTo(expected.getLine());
    assertThat(actual.getLine().position()).isZero();
    assertThat(actual.getSource()).isEqualTo(expected.getSource());
    assertThat(actual.getReceivedTime()).isEqualTo(expected.getReceivedTime());
    assertThat(actual.getIngestId()).isEqualTo(expected.getIngestId());
    assertThat(actual.getSequence()).isEqualTo(expected.getSequence());
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void shouldReadEveryBundledSampleLineAsAvroDoes() throws IOException {
    Path dir = Path.of(System.getProperty("oxbow.root"), "samples", "access-logs");
    int lines = 0;
    try (var files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        byte[] all = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
          if (i == all.length || all[i] == '\n') {
            RawLogLine raw =
                new RawLogLine(
                    ByteBuffer.wrap(Arrays.copyOfRange(all, start, i)),
                    file.getFileName().toString(),
                    Instant.now(),
                    "ingest-" + lines,
                    lines++);
            assertSameAsGeneral(writer.serialize(TOPIC, raw));
            start = i + 1;
          }
        }
      }
    }
    assertThat(lines).isGreaterThan(10_000);
    assertThat(direct.readsDirectly(TOPIC, idOf(writer.serialize(TOPIC, line(new Random(1))))))
        .isTrue();
  }

  @Test
  void shouldReadGeneratedLinesWithEveryEdgeAsAvroDoes() {
    Random random = new Random(31);
    for (int i = 0; i < 20_000; i++) {
      assertSameAsGeneral(writer.serialize(TOPIC, line(random)));
    }
  }

  @Test
  void shouldDecodeMalformedUtf8AsAvroDoes() {
    byte[][] malformed = {
      {(byte) 0xC3}, {(byte) 0xFF, 'a'}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0x80}
    };
    int id = idOf(writer.serialize(TOPIC, line(new Random(2))));
    for (byte[] text : malformed) {
      AvroBinaryWriter out = new AvroBinaryWriter(64);
      out.writeWireHeader(id);
      out.writeBytes(text, 0, text.length); // line
      out.writeBytes(text, 0, text.length); // source: a string is written as its bytes
      out.writeLong(5);
      out.writeBytes(text, 0, text.length); // ingest_id
      out.writeInt(-3);
      assertSameAsGeneral(out.toByteArray());
    }
  }

  @Test
  void shouldRefuseTruncatedAndMalformedValuesAsAvroDoes() {
    byte[] whole = writer.serialize(TOPIC, line(new Random(3)));
    for (int length = WireFormat.HEADER_SIZE; length < whole.length; length++) {
      byte[] cut = Arrays.copyOf(whole, length);
      assertThatThrownBy(() -> general.deserialize(TOPIC, cut))
          .isInstanceOf(SerializationException.class);
      assertThatThrownBy(() -> direct.deserialize(TOPIC, cut))
          .as("%d of %d bytes", length, whole.length)
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("topic " + TOPIC);
    }
    byte[] negative = whole.clone();
    negative[WireFormat.HEADER_SIZE] = 3; // the line's length, -2
    assertThatThrownBy(() -> general.deserialize(TOPIC, negative))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> direct.deserialize(TOPIC, negative))
        .hasMessageContaining("negative length");
    assertThatThrownBy(() -> direct.deserialize(TOPIC, new byte[] {1, 0, 0, 0, 1, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte");
    assertThat(direct.deserialize(TOPIC, null)).isNull();
  }

  @Test
  void shouldLetAvroResolveAValueWrittenWithAnotherVersionOfTheSchema() {
    // a newer contract: a field added (with a default), which Avro skips for the generated class
    Schema newer =
        lineAndSource()
            .name("agent")
            .type()
            .stringType()
            .stringDefault("unknown")
            .name("received_time")
            .type(RawLogLine.getClassSchema().getField("received_time").schema())
            .noDefault()
            .name("ingest_id")
            .type()
            .stringType()
            .noDefault()
            .name("sequence")
            .type()
            .intType()
            .noDefault()
            .endRecord();
    GenericRecord value = new GenericData.Record(newer);
    value.put("line", ByteBuffer.wrap("GET / HTTP/1.1".getBytes(StandardCharsets.UTF_8)));
    value.put("source", "s");
    value.put("agent", "agent-7");
    value.put("received_time", 1_733_400_000_000L);
    value.put("ingest_id", "i");
    value.put("sequence", 4);
    AvroSerializer generic = new AvroSerializer();
    generic.configure(Map.of("schema.registry.url", "mock://" + scope), false);
    byte[] data = generic.serialize(TOPIC, value);

    assertThat(direct.readsDirectly(TOPIC, idOf(data))).isFalse();
    assertSameAsGeneral(data);
    assertThat(direct.deserialize(TOPIC, data).getSequence()).isEqualTo(4);
  }

  @Test
  void shouldNotDecodeDirectlyWhenTheGeneratedSchemaChanged() {
    Schema changed = lineAndSource().endRecord();
    AvroDeserializer fallback = new AvroDeserializer();
    fallback.configure(config, false);
    RawLogLineDeserializer guarded = new RawLogLineDeserializer(fallback, changed);
    byte[] data = writer.serialize(TOPIC, line(new Random(4)));
    assertThat(guarded.readsDirectly(TOPIC, idOf(data))).isFalse();
    assertThat(guarded.deserialize(TOPIC, data)).isEqualTo(general.deserialize(TOPIC, data));
  }

  @Test
  void shouldReadASchemaIdInAHeaderAsTheGeneralDeserializerDoes() {
    byte[] framed = writer.serialize(TOPIC, line(new Random(5)));
    RecordHeaders headers = new RecordHeaders();
    headers.add(AvroDeserializer.VALUE_SCHEMA_ID_HEADER, Arrays.copyOf(framed, 5));
    byte[] payload = Arrays.copyOfRange(framed, 5, framed.length);
    assertThat(direct.deserialize(TOPIC, headers, payload))
        .isEqualTo(general.deserialize(TOPIC, headers, payload));
  }

  private static int idOf(byte[] framed) {
    return WireFormat.schemaId(TOPIC, false, framed);
  }

  private static RawLogLine line(Random r) {
    byte[] bytes = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(300)];
    r.nextBytes(bytes);
    return new RawLogLine(
        ByteBuffer.wrap(bytes),
        text(r),
        Instant.ofEpochMilli(r.nextBoolean() ? LONGS[r.nextInt(LONGS.length)] : r.nextLong()),
        text(r),
        r.nextBoolean() ? INTS[r.nextInt(INTS.length)] : r.nextInt());
  }

  private static String text(Random r) {
    if (r.nextBoolean()) {
      return TEXTS[r.nextInt(TEXTS.length)];
    }
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(40); i > 0; i--) {
      b.appendCodePoint(r.nextInt(Character.MAX_CODE_POINT + 1));
    }
    return b.toString();
  }

  /** A record named as the contract's RawLogLine whose first fields are its line and source. */
  private static SchemaBuilder.FieldAssembler<Schema> lineAndSource() {
    return SchemaBuilder.record("RawLogLine")
        .namespace("io.oxbow.contracts.avro")
        .fields()
        .name("line")
        .type()
        .bytesType()
        .noDefault()
        .name("source")
        .type()
        .stringType()
        .noDefault();
  }
}
