package io.oxbow.accesslog;

import static io.oxbow.accesslog.RealWorldVariantsTest.parsed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.AccessLogEvent;
import org.junit.jupiter.api.Test;

/** User format strings in Apache LogFormat and nginx log_format syntax. */
class LogFormatTest {

  @Test
  void shouldReadAnApacheFormatWithDurationVhostAndExtraHeader() {
    LogFormat f =
        LogFormat.of(
            "%v %h %l %u %t \\\"%r\\\" %>s %B %D \\\"%{X-Forwarded-For}i\\\" \\\"%{Cookie}i\\\"");
    AccessLogEvent e =
        parsed(
            AccessLogParser.forFormat(f),
            "shop.example 10.0.0.1 - alice [17/May/2015:10:05:03 +0000] \"POST /cart HTTP/1.1\" 201 0"
                + " 1534 \"198.51.100.7\" \"sid=1\"");
    assertThat(e.getFormat()).isEqualTo("custom");
    assertThat(e.getVhost()).isEqualTo("shop.example");
    assertThat(e.getUser()).isEqualTo("alice");
    assertThat(e.getMethod()).isEqualTo("POST");
    assertThat(e.getStatus()).isEqualTo(201);
    assertThat(e.getBytes()).isZero();
    assertThat(e.getDurationMicros()).isEqualTo(1534L);
    assertThat(e.getForwardedFor()).isEqualTo("198.51.100.7");
    assertThat(e.getExtraFields()).containsExactly("sid=1");
  }

  @Test
  void shouldReadAnApacheFormatWithSecondsAndPort() {
    AccessLogEvent e =
        parsed(
            AccessLogParser.forFormat(LogFormat.apache("%a:%p %l %u %t \"%r\" %s %b %T")),
            "10.0.0.1:8080 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 - 2");
    assertThat(e.getClient()).isEqualTo("10.0.0.1");
    assertThat(e.getServerPort()).isEqualTo(8080);
    assertThat(e.getBytes()).isNull();
    assertThat(e.getDurationMicros()).isEqualTo(2_000_000L);
  }

  @Test
  void shouldReadAnNginxFormatWithRequestAndUpstreamTimes() {
    String conf =
        "'$remote_addr - $remote_user [$time_local] \"$request\" '"
            + " '$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $host"
            + " rt=$request_time urt=\"$upstream_response_time\"'";
    AccessLogEvent e =
        parsed(
            AccessLogParser.forFormat(LogFormat.of(conf)),
            "2001:db8::7 - bob [17/May/2015:10:05:03 +0200] \"GET /api?id=3 HTTP/1.1\" 502 157 \"-\""
                + " \"curl/8\" api.example rt=0.123 urt=\"0.120, 0.003\"");
    assertThat(e.getClient()).isEqualTo("2001:db8::7");
    assertThat(e.getUser()).isEqualTo("bob");
    assertThat(e.getEventTime().toString()).isEqualTo("2015-05-17T08:05:03Z");
    assertThat(e.getQuery()).isEqualTo("id=3");
    assertThat(e.getStatus()).isEqualTo(502);
    assertThat(e.getVhost()).isEqualTo("api.example");
    assertThat(e.getDurationMicros()).isEqualTo(123_000L);
    assertThat(e.getExtraFields()).containsExactly("0.120, 0.003");
  }

  @Test
  void shouldResolveNamedFormats() {
    assertThat(LogFormat.of("AUTO")).isSameAs(LogFormat.AUTO);
    assertThat(LogFormat.of("common")).isSameAs(LogFormat.COMMON);
    assertThat(LogFormat.of("combined")).isSameAs(LogFormat.COMBINED);
    assertThat(LogFormat.of("nginx")).isSameAs(LogFormat.NGINX_MAIN);
    assertThat(LogFormat.of("vhost_combined")).isSameAs(LogFormat.VHOST_COMBINED);
  }

  @Test
  void shouldExplainBadFormats() {
    assertThatThrownBy(() -> LogFormat.of("fancy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown log format 'fancy'");
    assertThatThrownBy(() -> LogFormat.apache("%h %l %u \"%r\" %>s"))
        .hasMessageContaining("has no time");
    assertThatThrownBy(() -> LogFormat.apache("%h %{Referer"))
        .hasMessageContaining("unterminated %{");
    assertThatThrownBy(() -> LogFormat.apache("%h %{%d/%b}t %>s"))
        .hasMessageContaining("custom time format");
    assertThatThrownBy(() -> LogFormat.nginx("$remote_addr [$time_local] ${status"))
        .hasMessageContaining("bad nginx variable");
  }
}
