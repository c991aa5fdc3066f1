package io.oxbow.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every real sample file, with counts and exact values for the tricky lines. */
class SampleFilesTest {

  private static final AccessLogParser AUTO = AccessLogParser.forFormat(LogFormat.AUTO);
  private static List<AccessLogEvent> elastic;

  @BeforeAll
  static void parseElastic() {
    elastic = new ArrayList<>();
    for (byte[] line : SampleLogs.lines(SampleLogs.ELASTIC)) {
      ParseResult r = AUTO.parse(line);
      assertThat(r).as(new String(line)).isInstanceOf(ParseResult.Parsed.class);
      elastic.add(((ParseResult.Parsed) r).event());
    }
  }

  @Test
  void shouldParseAllTenThousandElasticLinesAsCombined() {
    assertThat(elastic).hasSize(10_000);
    assertThat(elastic).allSatisfy(e -> assertThat(e.getFormat()).isEqualTo("combined"));
    assertThat(elastic).allSatisfy(e -> assertThat(e.getRequestValid()).isTrue());
    assertThat(elastic.stream().filter(e -> e.getClientKind() == ClientKind.IPV4)).hasSize(10_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"combined", "auto"})
  void shouldParseElasticWithTheExplicitFormatToo(String format) {
    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.of(format));
    long parsed =
        SampleLogs.lines(SampleLogs.ELASTIC).stream()
            .filter(l -> parser.parse(l).isParsed())
            .count();
    assertThat(parsed).isEqualTo(10_000);
  }

  @Test
  void shouldReadTheFirstLineExactly() {
    AccessLogEvent e = elastic.get(0);
    assertThat(e.getClient()).isEqualTo("83.149.9.216");
    assertThat(e.getIdent()).isNull();
    assertThat(e.getUser()).isNull();
    assertThat(e.getEventTime()).isEqualTo(Instant.parse("2015-05-17T10:05:03Z"));
    assertThat(e.getUtcOffsetSeconds()).isZero();
    assertThat(e.getMethod()).isEqualTo("GET");
    assertThat(e.getPath())
        .isEqualTo("/presentations/logstash-monitorama-2013/images/kibana-search.png");
    assertThat(e.getQuery()).isNull();
    assertThat(e.getProtocol()).isEqualTo("HTTP/1.1");
    assertThat(e.getStatus()).isEqualTo(200);
    assertThat(e.getBytes()).isEqualTo(203_023L);
    assertThat(e.getReferrer())
        .isEqualTo("http://semicomplete.com/presentations/logstash-monitorama-2013/");
    assertThat(e.getUserAgent()).startsWith("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1)");
    assertThat(e.getLineBytes()).isEqualTo(324);
    assertThat(e.getExtraFields()).isEmpty();
  }

  @Test
  void shouldKeepTheUnterminatedUserAgentOfLine8899() {
    AccessLogEvent e = elastic.get(8898);
    assertThat(e.getClient()).isEqualTo("46.118.127.106");
    assertThat(e.getEventTime()).isEqualTo(Instant.parse("2015-05-20T12:05:17Z"));
    assertThat(e.getPath()).isEqualTo("/scripts/grok-py-test/configlib.py");
    assertThat(e.getStatus()).isEqualTo(200);
    assertThat(e.getBytes()).isEqualTo(235L);
    assertThat(e.getReferrer()).isNull();
    assertThat(e.getUserAgent())
        .isEqualTo("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html");
  }

  @Test
  void shouldKeepTheThreeXhhReferrersAsWritten() {
    String written =
        "http://\\xe4\\xe5\\xe3\\xf2\\xff\\xf0\\xed\\xee\\xe5-\\xec\\xfb\\xeb\\xee.\\xf0\\xf4/";
    List<Integer> lines = new ArrayList<>();
    for (int i = 0; i < elastic.size(); i++) {
      String ref = elastic.get(i).getReferrer();
      if (ref != null && ref.contains("\\x")) {
        lines.add(i + 1);
        assertThat(ref).isEqualTo(written);
      }
    }
    assertThat(lines).containsExactly(5851, 5853, 5860);
    assertThat(elastic.get(5850).getUserAgent())
        .isEqualTo("Mozilla/5.0 (Windows NT 6.1; rv:11.0) Gecko/20100101 Firefox/11.0");
  }

  @Test
  void shouldMapDashByteCountsToNull() {
    assertThat(elastic.stream().filter(e -> e.getBytes() == null)).hasSize(669);
    AccessLogEvent e = elastic.get(85);
    assertThat(e.getStatus()).isEqualTo(304);
    assertThat(e.getBytes()).isNull();
    assertThat(e.getReferrer()).isNull();
    assertThat(e.getUserAgent()).startsWith("Sogou web spider/4.0");
  }

  @Test
  void shouldKeepOutOfOrderTimestampsAsWritten() {
    int outOfOrder = 0;
    for (int i = 1; i < elastic.size(); i++) {
      if (elastic.get(i).getEventTime().isBefore(elastic.get(i - 1).getEventTime())) {
        outOfOrder++;
      }
    }
    assertThat(outOfOrder).isEqualTo(4915);
    assertThat(elastic.get(43).getEventTime()).isEqualTo(Instant.parse("2015-05-17T10:05:36Z"));
    assertThat(elastic.get(45).getEventTime()).isEqualTo(Instant.parse("2015-05-17T10:05:11Z"));
  }

  @Test
  void shouldKeepCrowdsecNginxJunkRequestsAsInvalidEvents() {
    List<AccessLogEvent> events = parseAll(SampleLogs.CROWDSEC_NGINX, 12);
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.getRequestValid()).isFalse();
              assertThat(e.getMethod()).isNull();
              assertThat(e.getPath()).isNull();
              assertThat(e.getStatus()).isEqualTo(400);
              assertThat(e.getBytes()).isEqualTo(157L);
              assertThat(e.getUtcOffsetSeconds()).isEqualTo(-7 * 3600);
              assertThat(e.getClient()).isEqualTo("1.2.3.4");
            });
    assertThat(events.get(0).getEventTime()).isEqualTo(Instant.parse("2023-07-29T17:26:06Z"));
    assertThat(events.get(1).getRequest()).startsWith("Gh0st\\xAD\\x00\\x00\\x00\\xE0");
    assertThat(events.get(4).getRequest()).isEqualTo("HELP");
    assertThat(events.get(6).getRequest()).isEqualTo("batman");
  }

  @Test
  void shouldKeepCrowdsecApacheTlsHandshakesAsInvalidEvents() {
    List<AccessLogEvent> events = parseAll(SampleLogs.CROWDSEC_APACHE, 11);
    assertThat(events).allSatisfy(e -> assertThat(e.getRequestValid()).isFalse());
    assertThat(events).allSatisfy(e -> assertThat(e.getRequest()).startsWith("\\x16\\x03\\x01"));
    assertThat(events.get(0).getUtcOffsetSeconds()).isEqualTo(11 * 3600);
    assertThat(events.get(0).getEventTime()).isEqualTo(Instant.parse("2023-10-16T18:57:49Z"));
    assertThat(events.get(0).getRequest()).isEqualTo("\\x16\\x03\\x01\\x01 \\x02");
  }

  private static List<AccessLogEvent> parseAll(String file, int expected) {
    List<byte[]> lines = SampleLogs.lines(file);
    assertThat(lines).hasSize(expected);
    List<AccessLogEvent> events = new ArrayList<>();
    for (byte[] line : lines) {
      ParseResult r = AUTO.parse(line);
      assertThat(r).as(new String(line)).isInstanceOf(ParseResult.Parsed.class);
      events.add(((ParseResult.Parsed) r).event());
    }
    return events;
  }
}
