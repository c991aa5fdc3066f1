package io.oxbow.batch.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.batch.it.SampleEvents;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The landing fast path against the general one: the same encoded records landed both ways give the
 * same Parquet file, byte for byte, and the same rows, field by field.
 */
class BinaryPlanTest {
  @TempDir Path dir;

  private static Schema rich() throws IOException {
    return new Schema.Parser().parse(richText());
  }

  private static String richText() throws IOException {
    try (InputStream in = BinaryPlanTest.class.getResourceAsStream("/landing/rich.avsc")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void shouldLandEveryFieldTypeAsTheGeneralPathDoes() throws Exception {
    Schema schema = rich();
    assertSameRows(schema, encodeRandom(schema, 1, 600, false));
    assertSameRows(schema, encodeRandom(schema, 2, 300, true));
  }

  @Test
  void shouldLandJavaStringSchemasAsTheGeneralPathDoesEvenForMalformedUtf8() throws Exception {
    // as the generated contract classes register them: strings decode as java.lang.String
    Schema schema =
        new Schema.Parser()
            .parse(
                richText()
                    .replace(
                        "\"string\"", "{\"type\": \"string\", \"avro.java.string\": \"String\"}"));
    assertThat(schema.getField("id").schema().getProp("avro.java.string")).isEqualTo("String");
    assertSameRows(schema, encodeRandom(schema, 3, 600, false));
  }

  @Test
  void shouldLandTheContractsAsTheGeneralPathDoes() throws Exception {
    List<byte[]> events = new ArrayList<>();
    for (AccessLogEvent event : SampleEvents.load(3000)) {
      events.add(encodeSpecific(AccessLogEvent.getClassSchema(), event));
    }
    assertSameRows(AccessLogEvent.getClassSchema(), events);
    Schema orders = AttributedOrder.getClassSchema();
    assertSameRows(orders, encodeRandom(orders, 4, 400, false));
  }

  @Test
  void shouldLandRecordsOfAnOlderAndANewerWriterSchemaEachAsTheGeneralPathDoes() throws Exception {
    Schema v1 = TestRecords.V1;
    Schema v2 = TestRecords.V2;
    assertSameRows(
        v1, List.of(encode(v1, TestRecords.v1("a", 5L)), encode(v1, TestRecords.v1("", 7L))));
    assertSameRows(
        v2,
        List.of(
            encode(v2, TestRecords.v2("b", 9L, "é")),
            encode(v2, TestRecords.v2("c", 10L, null)),
            encode(v2, TestRecords.v2("d", 11L, ""))));
  }

  @Test
  void shouldReadTheEventTimeAndRefuseANullOne() throws Exception {
    Schema schema =
        SchemaBuilder.record("T").fields().requiredString("id").optionalLong("at").endRecord();
    BinaryPlan plan = plan(schema, "at");
    GenericRecord record = new GenericData.Record(schema);
    record.put("id", "x");
    record.put("at", 1431820800123L);
    assertThat(plan.scan(encode(schema, record), 0)).isEqualTo(1431820800123L);
    record.put("at", null);
    byte[] noTime = encode(schema, record);
    assertThatThrownBy(() -> plan.scan(noTime, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldHaveNoPlanForMapsUnionsOfSeveralTypesOrANonLongEventTime() {
    Schema map =
        SchemaBuilder.record("M")
            .fields()
            .requiredLong("t")
            .name("m")
            .type()
            .map()
            .values()
            .longType()
            .noDefault()
            .endRecord();
    Schema union =
        SchemaBuilder.record("U")
            .fields()
            .requiredLong("t")
            .name("u")
            .type()
            .unionOf()
            .stringType()
            .and()
            .longType()
            .endUnion()
            .noDefault()
            .endRecord();
    Schema intTime = SchemaBuilder.record("I").fields().requiredInt("t").endRecord();
    for (Schema schema : List.of(map, union, intTime)) {
      assertThat(compile(schema, "t")).as(schema.getName()).isEmpty();
    }
    assertThat(compile(intTime, "missing")).isEmpty();
  }

  @Test
  void shouldAcceptOnlyBytesThatAvroDecodesAndLandThemAsAvroDoes() throws Exception {
    Schema schema = rich();
    BinaryPlan plan = plan(schema, "event_time");
    GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema, schema);
    Random random = new Random(5);
    List<byte[]> accepted = new ArrayList<>();
    int refused = 0;
    for (byte[] valid : encodeRandom(schema, 6, 400, false)) {
      for (int trial = 0; trial < 10; trial++) {
        byte[] bad =
            trial < 3 ? Arrays.copyOf(valid, random.nextInt(valid.length)) : mutate(valid, random);
        boolean scanned;
        try {
          plan.scan(bad, 0);
          scanned = true;
        } catch (RuntimeException e) {
          scanned = false;
          refused++;
        }
        if (scanned) {
          // whatever the fast path accepts, Avro decodes too (the reverse falls back to Avro)
          reader.read(null, DecoderFactory.get().binaryDecoder(bad, null));
          accepted.add(bad);
        }
      }
    }
    assertThat(refused).isPositive();
    assertThat(accepted).isNotEmpty();
    assertSameRows(schema, accepted);
  }

  private static byte[] mutate(byte[] valid, Random random) {
    byte[] bad = valid.clone();
    bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
    return bad;
  }

  private void assertSameRows(Schema schema, List<byte[]> encoded) throws IOException {
    BinaryPlan plan = plan(schema, "event_time");
    GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema, schema);
    Path general = dir.resolve("general-" + schema.getName() + encoded.hashCode() + ".parquet");
    Path fast = dir.resolve("fast-" + schema.getName() + encoded.hashCode() + ".parquet");
    try (ParquetWriter<GenericRecord> writer = ParquetFiles.writer(general, schema)) {
      for (byte[] bytes : encoded) {
        writer.write(reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null)));
      }
    }
    try (ParquetWriter<LandingRow> writer = LandingWriteSupport.writer(fast, schema)) {
      for (byte[] bytes : encoded) {
        long time = plan.scan(bytes, 0);
        writer.write(new LandingRow.Encoded(plan, bytes, 0, time));
      }
    }
    List<GenericRecord> expected = ParquetFiles.readAll(general);
    List<GenericRecord> actual = ParquetFiles.readAll(fast);
    assertThat(actual).hasSameSizeAs(encoded).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      for (Schema.Field field : expected.get(i).getSchema().getFields()) {
        assertThat(String.valueOf(actual.get(i).get(field.name())))
            .as("row %d field %s", i, field.name())
            .isEqualTo(String.valueOf(expected.get(i).get(field.name())));
      }
      assertThat(actual.get(i)).isEqualTo(expected.get(i));
    }
    assertThat(Files.readAllBytes(fast)).isEqualTo(Files.readAllBytes(general));
  }

  private static Optional<BinaryPlan> compile(Schema schema, String timeField) {
    return BinaryPlan.compile(
        schema, new AvroSchemaConverter(ParquetFiles.configuration()).convert(schema), timeField);
  }

  private static BinaryPlan plan(Schema schema, String timeField) {
    return compile(schema, timeField).orElseThrow();
  }

  private static List<byte[]> encodeRandom(Schema schema, long seed, int count, boolean blocked)
      throws IOException {
    RandomRecords random = new RandomRecords(seed);
    List<byte[]> encoded = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GenericRecord record = random.record(schema, "event_time");
      encoded.add(blocked ? encodeBlocked(schema, record) : encode(schema, record));
    }
    return encoded;
  }

  private static byte[] encode(Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  /** Arrays in blocks with byte sizes (negative counts), as a blocking encoder writes them. */
  private static byte[] encodeBlocked(Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder =
        new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static <T> byte[] encodeSpecific(Schema schema, T record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<T>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
