package io.oxbow.stream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import io.oxbow.registry.serde.AvroBinaryWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The hand-written encoder against Avro's own {@link SpecificDatumWriter}, byte for byte: every
 * parsed line of the bundled samples, enriched, and generated events with nulls in every nullable
 * field, empty and long strings, unicode (4-byte code points, lone surrogates), extreme numbers and
 * every client kind.
 */
class AccessLogEventEncoderTest {
  private static final SpecificDatumWriter<AccessLogEvent> AVRO =
      new SpecificDatumWriter<>(
          AccessLogEvent.getClassSchema(),
          (SpecificData) SpecificData.getForClass(AccessLogEvent.class));
  private static final String[] TEXTS = {
    "",
    "a",
    "/index.html",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537",
    "x".repeat(63),
    "y".repeat(64),
    "z".repeat(8191) + "é",
    "w".repeat(70_000),
    "café",
    "日本語のパス",
    "emoji \uD83D\uDE00 and \uD83C\uDF89",
    "lone high \uD800 surrogate",
    "lone low \uDC00",
    "\uDBFF",
    "nul \u0000 and del \u007F and \u0080 and \uFFFF",
    "é".repeat(40),
  };

  static byte[] avro(AccessLogEvent event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    AVRO.write(event, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  static byte[] direct(AccessLogEvent event) {
    AvroBinaryWriter out = new AvroBinaryWriter(16);
    AccessLogEventEncoder.encode(event, out);
    return out.toByteArray();
  }

  @Test
  void shouldBeWrittenForTheGeneratedSchema() {
    assertThat(AccessLogEventEncoder.SHAPE.mismatch(AccessLogEvent.getClassSchema())).isNull();
  }

  @Test
  void shouldWriteAvrosBytesForEveryParsedSampleLine() throws IOException {
    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.AUTO);
    Path dir = Path.of(System.getProperty("oxbow.root"), "samples", "access-logs");
    Random random = new Random(7);
    int parsed = 0;
    try (var files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
          byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
          if (parser.parse(bytes, file.getFileName().toString()) instanceof ParseResult.Parsed p) {
            AccessLogEvent event = enriched(p.event(), random);
            assertThat(direct(event)).as(line).isEqualTo(avro(event));
            parsed++;
          }
        }
      }
    }
    assertThat(parsed).isGreaterThan(9_000);
  }

  /** Sets the enrichment fields as the stream processor would, some left null. */
  private static AccessLogEvent enriched(AccessLogEvent event, Random random) {
    event.put("country", random.nextInt(5) == 0 ? null : "DE");
    event.put("ua_browser", random.nextBoolean() ? "Chrome" : null);
    event.put("ua_os", random.nextBoolean() ? "Linux" : null);
    event.put("ua_device", random.nextBoolean() ? "Desktop" : "Robot");
    event.put("is_bot", random.nextBoolean());
    return event;
  }

  @Test
  void shouldWriteAvrosBytesForGeneratedEventsWithEveryEdge() throws IOException {
    Random random = new Random(23);
    for (int i = 0; i < 5_000; i++) {
      AccessLogEvent event = generated(random, i % 3 == 0);
      assertThat(direct(event)).as("event %d: %s", i, event).isEqualTo(avro(event));
    }
  }

  @Test
  void shouldWriteAvrosBytesWithEveryNullableFieldNullAndWithNoneNull() throws IOException {
    AccessLogEvent allNull = generated(new Random(1), false);
    for (var field : AccessLogEvent.getClassSchema().getFields()) {
      if (field.schema().isNullable()) {
        allNull.put(field.pos(), null);
      }
    }
    assertThat(direct(allNull)).isEqualTo(avro(allNull));
    AccessLogEvent noneNull = generated(new Random(2), false);
    noneNull.put("ident", "id");
    noneNull.put("user", "u");
    noneNull.put("request", "GET / HTTP/1.1");
    noneNull.put("method", "GET");
    noneNull.put("path", "/");
    noneNull.put("query", "");
    noneNull.put("protocol", "HTTP/1.1");
    noneNull.put("bytes", 0L);
    noneNull.put("referrer", "-");
    noneNull.put("user_agent", "");
    noneNull.put("vhost", "h");
    noneNull.put("server_port", 0);
    noneNull.put("duration_micros", -1L);
    noneNull.put("forwarded_for", "10.0.0.1");
    noneNull.put("source", "s");
    noneNull.put("country", "unknown");
    noneNull.put("ua_browser", "b");
    noneNull.put("ua_os", "o");
    noneNull.put("ua_device", "d");
    assertThat(direct(noneNull)).isEqualTo(avro(noneNull));
  }

  @Test
  void shouldRefuseANullInAFieldThatIsNotNullableAsAvroDoes() {
    AccessLogEvent event = generated(new Random(3), false);
    event.put("format", null);
    assertThatThrownBy(() -> avro(event)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> direct(event))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("field format is null");
    AccessLogEvent noItem = generated(new Random(4), false);
    noItem.put("extra_fields", Arrays.asList("a", null));
    assertThatThrownBy(() -> direct(noItem)).hasMessageContaining("extra_fields[1]");
  }

  private static final long[] LONGS = {
    0,
    1,
    -1,
    63,
    64,
    -64,
    -65,
    127,
    128,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    1L + Integer.MAX_VALUE,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    Long.MAX_VALUE / 3,
    -(1L << 62)
  };
  private static final int[] INTS = {
    0, 1, -1, 63, 64, -64, -65, 8191, 8192, -8193, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 28
  };

  static AccessLogEvent generated(Random r, boolean nulls) {
    List<String> extra = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      extra.add(text(r));
    }
    return new AccessLogEvent(
        text(r),
        ClientKind.values()[r.nextInt(ClientKind.values().length)],
        maybe(r, nulls, text(r)),
        maybe(r, nulls, text(r)),
        Instant.ofEpochMilli(someLong(r)),
        someInt(r),
        maybe(r, nulls, text(r)),
        r.nextBoolean(),
        maybe(r, nulls, text(r)),
        maybe(r, nulls, text(r)),
        maybe(r, nulls, text(r)),
        maybe(r, nulls, text(r)),
        someInt(r),
        maybe(r, nulls, someLong(r)),
        maybe(r, nulls, text(r)),
        maybe(r, nulls, text(r)),
        maybe(r, nulls, text(r)),
        maybe(r, nulls, someInt(r)),
        maybe(r, nulls, someLong(r)),
        maybe(r, nulls, text(r)),
        extra,
        text(r),
        someInt(r),
        maybe(r, nulls, text(r)),
        maybe(r, nulls, text(r)),
        maybe(r, nulls, text(r)),
        maybe(r, nulls, text(r)),
        maybe(r, nulls, text(r)),
        r.nextBoolean());
  }

  private static <T> T maybe(Random r, boolean nulls, T value) {
    return nulls && r.nextBoolean() ? null : value;
  }

  private static String text(Random r) {
    int pick = r.nextInt(TEXTS.length + 2);
    if (pick < TEXTS.length) {
      return TEXTS[pick];
    }
    // random code points from every plane, surrogates included
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(100); i > 0; i--) {
      b.append((char) (r.nextBoolean() ? r.nextInt(128) : r.nextInt(Character.MAX_VALUE + 1)));
    }
    return b.toString();
  }

  private static long someLong(Random r) {
    return r.nextBoolean() ? LONGS[r.nextInt(LONGS.length)] : r.nextLong() >> r.nextInt(64);
  }

  private static int someInt(Random r) {
    return r.nextBoolean() ? INTS[r.nextInt(INTS.length)] : r.nextInt() >> r.nextInt(32);
  }
}
