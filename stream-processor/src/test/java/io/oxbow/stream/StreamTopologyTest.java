package io.oxbow.stream;

import static io.oxbow.stream.TopologyFixture.combined;
import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.deadletter.DeadLetter;
import io.oxbow.contracts.deadletter.DeadLetterHeaders;
import io.oxbow.stream.topology.RejectedRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamTopologyTest {
  private static final String CHROME =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/32.0.1700.77 Safari/537.36";
  private static final String GOOGLEBOT =
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

  private TopologyFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TopologyFixture(Duration.ofMinutes(5), "198.51.100.0/24");
    fx.range("83.149.0.0", "83.149.255.255", "RU");
    fx.range("2001:db8::", "2001:db8::ffff", "NL");
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void shouldEnrichAValidLineKeyedByClient() {
    String text = combined("83.149.9.216", "17/May/2015:10:05:03", "/index.html", 200, CHROME);
    fx.pipe(text);

    TestRecord<String, AccessLogEvent> out = fx.enriched.readRecord();
    AccessLogEvent parsed =
        ((ParseResult.Parsed) AccessLogParser.forFormat(LogFormat.AUTO).parse(bytes(text), "test"))
            .event();
    AccessLogEvent expected =
        AccessLogEvent.newBuilder(parsed)
            .setCountry("RU")
            .setUaBrowser("Chrome")
            .setUaOs("Mac OS")
            .setUaDevice("Desktop")
            .setIsBot(false)
            .build();
    assertThat(out.key()).isEqualTo("83.149.9.216");
    assertThat(out.value()).isEqualTo(expected);
    assertThat(out.timestamp()).isEqualTo(parsed.getEventTime().toEpochMilli());
    assertThat(fx.enriched.isEmpty()).isTrue();
    assertThat(fx.dlq.isEmpty()).isTrue();
  }

  @Test
  void shouldSendRejectedLinesToTheDlqWithOriginalBytesAndReasonHeaders() {
    var truncated = fx.line("83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1");
    var badTime = fx.line(combined("83.149.9.216", "32/Foo/2015:10:05:03", "/", 200, CHROME));
    var badStatus = fx.line(combined("83.149.9.216", "17/May/2015:10:05:03", "/", 999, CHROME));
    fx.raw.pipeInput("test", truncated);
    fx.raw.pipeInput("test", badTime);
    fx.raw.pipeInput("test", badStatus);

    var dead = fx.dlq.readRecordsToList();
    assertThat(dead).hasSize(3);
    assertThat(dead.get(0).value()).isEqualTo(serialized(truncated));
    assertThat(dead.get(0).key()).isEqualTo("test".getBytes(StandardCharsets.UTF_8));
    DeadLetter first = DeadLetterHeaders.read(dead.get(0).headers());
    assertThat(first.stage()).isEqualTo("parse");
    assertThat(first.reason()).isEqualTo("TRUNCATED");
    assertThat(first.exceptionClass()).isEqualTo(RejectedRecordException.class.getName());
    assertThat(first.sourceTopic()).isEqualTo("access-logs.raw");
    assertThat(first.sourcePartition()).isZero();
    assertThat(first.sourceOffset()).isZero();
    assertThat(first.column()).isPositive();
    assertThat(first.time()).isNotNull();
    assertThat(first.exceptionMessage()).contains("TRUNCATED");
    DeadLetter second = DeadLetterHeaders.read(dead.get(1).headers());
    assertThat(second.stage()).isEqualTo("parse");
    assertThat(second.reason()).isEqualTo("BAD_TIMESTAMP");
    assertThat(second.sourceOffset()).isEqualTo(1L);
    assertThat(dead.get(1).value()).isEqualTo(serialized(badTime));
    DeadLetter third = DeadLetterHeaders.read(dead.get(2).headers());
    assertThat(third.stage()).isEqualTo("validate");
    assertThat(third.reason()).isEqualTo("STATUS_OUT_OF_RANGE");
    assertThat(third.column()).isNull();
    assertThat(fx.enriched.isEmpty()).isTrue();
    assertThat(fx.metrics.count("oxbow.stream.dlq", "stage", "parse", "reason", "TRUNCATED"))
        .isEqualTo(1.0);
  }

  @Test
  void shouldSkipUndeserializableRecordsCountingThemAndKeepGoing() {
    // the dead letter itself is produced by the broker-backed runtime (see StreamAppIT): the test
    // driver does not forward deserialization-handler records
    byte[] garbage = {0, 0, 0, 0, 42, 1, 2};
    fx.rawBytes.pipeInput("k".getBytes(StandardCharsets.UTF_8), garbage);
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:05:03", "/", 200, CHROME));

    assertThat(fx.metrics.count("oxbow.stream.dlq", "stage", "deserialize")).isEqualTo(1.0);
    assertThat(fx.enriched.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldKeepJunkRequestLinesAsInvalidRequests() {
    fx.pipe(
        "1.2.3.4 - - [17/Oct/2023:05:57:49 +1100] \"\\x16\\x03\\x01\\x06\" 400 226 \"-\" \"-\"");
    AccessLogEvent e = fx.enriched.readValue();
    assertThat(e.getRequestValid()).isFalse();
    assertThat(e.getStatus()).isEqualTo(400);
    assertThat(e.getCountry()).isEqualTo("unknown");
    assertThat(e.getUaBrowser()).isEqualTo("Unknown");
  }

  @Test
  void shouldDropInternalTrafficCountingEachReason() {
    for (String client :
        new String[] {
          "127.0.0.1",
          "10.1.2.3",
          "172.16.5.4",
          "192.168.1.1",
          "169.254.1.1",
          "100.64.0.1",
          "::1",
          "fd12:3456::1",
          "fe80::1",
          "198.51.100.7",
          "::ffff:10.0.0.1"
        }) {
      fx.pipe(combined(client, "17/May/2015:10:05:03", "/", 200, CHROME));
    }
    fx.pipe(combined("100.128.0.1", "17/May/2015:10:05:03", "/", 200, CHROME));

    assertThat(fx.enriched.readKeyValuesToList())
        .singleElement()
        .satisfies(kv -> assertThat(kv.key).isEqualTo("100.128.0.1"));
    assertThat(count("loopback")).isEqualTo(2);
    assertThat(count("private")).isEqualTo(4);
    assertThat(count("link_local")).isEqualTo(2);
    assertThat(count("cgnat")).isEqualTo(1);
    assertThat(count("unique_local")).isEqualTo(1);
    assertThat(count("configured")).isEqualTo(1);
    assertThat(fx.dlq.isEmpty()).isTrue();
  }

  @Test
  void shouldLookUpCountriesForIpv4Ipv6MissesAndHostNames() {
    fx.pipe(combined("83.149.200.1", "17/May/2015:10:05:03", "/", 200, CHROME));
    fx.pipe(combined("83.150.0.1", "17/May/2015:10:05:03", "/", 200, CHROME));
    fx.pipe(combined("2001:db8::42", "17/May/2015:10:05:03", "/", 200, CHROME));
    fx.pipe(combined("2001:db8::1:0", "17/May/2015:10:05:03", "/", 200, CHROME));
    fx.pipe(combined("crawler.example.com", "17/May/2015:10:05:03", "/", 200, CHROME));

    Map<String, String> countries =
        fx.enriched.readKeyValuesToList().stream()
            .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value.getCountry()));
    assertThat(countries)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "83.149.200.1", "RU",
                "83.150.0.1", "unknown",
                "2001:db8::42", "NL",
                "2001:db8::1:0", "unknown",
                "crawler.example.com", "unknown"));
    assertThat(fx.metrics.count("oxbow.stream.geoip.lookups", "result", "hit")).isEqualTo(2);
    assertThat(fx.metrics.count("oxbow.stream.geoip.lookups", "result", "miss")).isEqualTo(2);
    assertThat(fx.metrics.count("oxbow.stream.geoip.lookups", "result", "hostname")).isEqualTo(1);
  }

  @Test
  void shouldReplaceRangesWithoutRestart() {
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:05:03", "/", 200, CHROME));
    fx.geoip.pipeInput(
        org.apache.kafka.common.utils.Bytes.wrap(
            io.oxbow.stream.enrich.IpAddresses.require("83.149.0.0")),
        null);
    fx.range("83.149.9.0", "83.149.9.255", "EE");
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:06:03", "/", 200, CHROME));
    fx.pipe(combined("83.149.10.1", "17/May/2015:10:06:03", "/", 200, CHROME));

    assertThat(fx.enriched.readValuesToList())
        .extracting(AccessLogEvent::getCountry)
        .containsExactly("RU", "EE", "unknown");
  }

  @Test
  void shouldFlagBots() {
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:05:03", "/robots.txt", 200, GOOGLEBOT));
    AccessLogEvent e = fx.enriched.readValue();
    assertThat(e.getIsBot()).isTrue();
    assertThat(e.getUaDevice()).isEqualTo("Robot");
    assertThat(e.getUaBrowser()).isEqualTo("Googlebot");
  }

  private double count(String reason) {
    return fx.metrics.count("oxbow.stream.dropped.internal", "reason", reason);
  }

  private byte[] serialized(io.oxbow.contracts.avro.RawLogLine line) {
    return fx.serdes.raw().serializer().serialize("access-logs.raw", line);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
