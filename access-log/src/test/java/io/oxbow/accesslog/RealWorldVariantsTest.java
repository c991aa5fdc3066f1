package io.oxbow.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What real servers also write (see samples/README.md): all of it must parse. */
class RealWorldVariantsTest {

  private static final AccessLogParser AUTO = AccessLogParser.forFormat(LogFormat.AUTO);
  private static final String TAIL = " \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8.0\"";

  static AccessLogEvent parsed(AccessLogParser parser, String line) {
    ParseResult r = parser.parse(line);
    assertThat(r).as(line).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) r).event();
  }

  static AccessLogEvent parsed(String line) {
    return parsed(AUTO, line);
  }

  @Test
  void shouldParseNcsaCommonFormat() {
    AccessLogEvent e =
        parsed(
            "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326");
    assertThat(e.getFormat()).isEqualTo("common");
    assertThat(e.getUser()).isEqualTo("frank");
    assertThat(e.getEventTime()).isEqualTo(Instant.parse("2000-10-10T20:55:36Z"));
    assertThat(e.getUtcOffsetSeconds()).isEqualTo(-25200);
    assertThat(e.getReferrer()).isNull();
    assertThat(e.getUserAgent()).isNull();
    AccessLogEvent strict =
        parsed(
            AccessLogParser.forFormat(LogFormat.COMMON),
            "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326");
    assertThat(strict.getFormat()).isEqualTo("common");
  }

  @Test
  void shouldKeepHostNamesAsWritten() {
    AccessLogEvent e =
        parsed("crawl-66-249-73-135.googlebot.com - - [17/May/2015:10:05:03 +0000]" + TAIL);
    assertThat(e.getClient()).isEqualTo("crawl-66-249-73-135.googlebot.com");
    assertThat(e.getClientKind()).isEqualTo(ClientKind.HOSTNAME);
  }

  @Test
  void shouldNormalizeIpv6Clients() {
    AccessLogEvent e = parsed("2001:DB8:0:0:0:0:0:1 - - [17/May/2015:10:05:03 +0000]" + TAIL);
    assertThat(e.getClient()).isEqualTo("2001:db8::1");
    assertThat(e.getClientKind()).isEqualTo(ClientKind.IPV6);
    assertThat(parsed("::1 - - [17/May/2015:10:05:03 +0000]" + TAIL).getClient()).isEqualTo("::1");
    assertThat(parsed("::FFFF:10.0.0.7 - - [17/May/2015:10:05:03 +0000]" + TAIL).getClient())
        .isEqualTo("::ffff:10.0.0.7");
  }

  @Test
  void shouldParseHttp09RequestLinesWithoutProtocol() {
    AccessLogEvent e = parsed("10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET /old.html\" 200 99");
    assertThat(e.getRequestValid()).isTrue();
    assertThat(e.getMethod()).isEqualTo("GET");
    assertThat(e.getPath()).isEqualTo("/old.html");
    assertThat(e.getProtocol()).isNull();
  }

  @Test
  void shouldSplitQueryStrings() {
    AccessLogEvent e =
        parsed(
            "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET /search?q=oxbow&page=2 HTTP/2.0\" 200 9");
    assertThat(e.getPath()).isEqualTo("/search");
    assertThat(e.getQuery()).isEqualTo("q=oxbow&page=2");
    assertThat(e.getProtocol()).isEqualTo("HTTP/2.0");
  }

  @Test
  void shouldReadNginxMainForwardedForAndFurtherExtraFields() {
    AccessLogEvent e =
        parsed(
            "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\""
                + " \"203.0.113.9, 198.51.100.2\" \"session=abc\" 0.004");
    assertThat(e.getFormat()).isEqualTo("nginx_main");
    assertThat(e.getForwardedFor()).isEqualTo("203.0.113.9, 198.51.100.2");
    assertThat(e.getExtraFields()).containsExactly("session=abc", "0.004");

    AccessLogEvent strict =
        parsed(
            AccessLogParser.forFormat(LogFormat.NGINX_MAIN),
            "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\" \"-\"");
    assertThat(strict.getForwardedFor()).isNull();
    assertThat(strict.getFormat()).isEqualTo("nginx_main");
    AccessLogEvent withoutXff =
        parsed(
            AccessLogParser.forFormat(LogFormat.NGINX_MAIN),
            "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"");
    assertThat(withoutXff.getUserAgent()).isEqualTo("curl/8");
  }

  @Test
  void shouldDecodeBackslashEscapesInQuotedFields() {
    AccessLogEvent e =
        parsed(
            "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET /a\\\"b HTTP/1.1\" 200 5"
                + " \"http://x/\\\\share\" \"Agent \\\"quoted\\\" \\\\ end\"");
    assertThat(e.getRequest()).isEqualTo("GET /a\"b HTTP/1.1");
    assertThat(e.getPath()).isEqualTo("/a\"b");
    assertThat(e.getReferrer()).isEqualTo("http://x/\\share");
    assertThat(e.getUserAgent()).isEqualTo("Agent \"quoted\" \\ end");
  }

  @Test
  void shouldDecodeXhhEscapesThatFormUtf8AndKeepOthersAsWritten() {
    AccessLogEvent utf8 =
        parsed("10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET /\\xE4\\xB8\\xAD HTTP/1.1\" 200 5");
    assertThat(utf8.getPath()).isEqualTo("/中");
    AccessLogEvent cp1251 =
        parsed("10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET /\\xe4\\xe5 HTTP/1.1\" 200 5");
    assertThat(cp1251.getPath()).isEqualTo("/\\xe4\\xe5");
  }

  @Test
  void shouldReadNonWholeHourOffsets() {
    AccessLogEvent e = parsed("10.0.0.1 - - [21/Mar/2024:09:30:00 +0330]" + TAIL);
    assertThat(e.getUtcOffsetSeconds()).isEqualTo(12_600);
    assertThat(e.getEventTime()).isEqualTo(Instant.parse("2024-03-21T06:00:00Z"));
    AccessLogEvent minus = parsed("10.0.0.1 - - [01/Jan/2024:00:10:00 -0930]" + TAIL);
    assertThat(minus.getUtcOffsetSeconds()).isEqualTo(-34_200);
    assertThat(minus.getEventTime()).isEqualTo(Instant.parse("2024-01-01T09:40:00Z"));
  }

  @Test
  void shouldIgnoreTrailingSpacesCrLfAndAMissingNewline() {
    String line = "10.0.0.1 - - [17/May/2015:10:05:03 +0000]" + TAIL;
    AccessLogEvent plain = parsed(line);
    assertThat(parsed(line + "   ").getUserAgent()).isEqualTo("curl/8.0");
    assertThat(parsed(line + "\r\n").getUserAgent()).isEqualTo("curl/8.0");
    assertThat(parsed(line + "\n").getLineBytes()).isEqualTo(plain.getLineBytes());
    assertThat(plain.getLineBytes()).isEqualTo(line.length());
  }

  @Test
  void shouldParseVeryLongLines() {
    String agent = "A".repeat(100_000);
    String line =
        "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET /x HTTP/1.1\" 200 5 \"-\" \""
            + agent
            + "\"";
    AccessLogEvent e = parsed(line);
    assertThat(e.getUserAgent()).hasSize(100_000);
    assertThat(e.getLineBytes()).isEqualTo(line.length());
  }

  @Test
  void shouldParseApacheVhostCombined() {
    String line =
        "www.example.org:443 10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"";
    for (AccessLogParser p :
        new AccessLogParser[] {AUTO, AccessLogParser.forFormat(LogFormat.VHOST_COMBINED)}) {
      AccessLogEvent e = parsed(p, line);
      assertThat(e.getVhost()).isEqualTo("www.example.org");
      assertThat(e.getServerPort()).isEqualTo(443);
      assertThat(e.getClient()).isEqualTo("10.0.0.1");
      assertThat(e.getFormat()).isEqualTo("vhost_combined");
    }
  }

  @Test
  void shouldParseRawUtf8InQuotedFields() {
    byte[] line =
        "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"Mozilla ünïcødé\""
            .getBytes(StandardCharsets.UTF_8);
    ParseResult r = AUTO.parse(line);
    assertThat(((ParseResult.Parsed) r).event().getUserAgent()).isEqualTo("Mozilla ünïcødé");
  }

  @Test
  void shouldParseASliceOfAByteBufferWithoutMovingIt() {
    byte[] line =
        ("10.0.0.1 - - [17/May/2015:10:05:03 +0000]" + TAIL).getBytes(StandardCharsets.UTF_8);
    byte[] framed = new byte[line.length + 8];
    System.arraycopy(line, 0, framed, 4, line.length);
    ByteBuffer buf = ByteBuffer.wrap(framed, 4, line.length).slice();
    ParseResult r = AUTO.parse(buf, "web-2");
    assertThat(((ParseResult.Parsed) r).event().getUserAgent()).isEqualTo("curl/8.0");
    assertThat(buf.remaining()).isEqualTo(line.length);
    ByteBuffer direct = ByteBuffer.allocateDirect(line.length).put(line).flip();
    assertThat(AUTO.parse(direct, null).isParsed()).isTrue();
  }

  @Test
  void shouldSetTheSourceWhenGiven() {
    byte[] line =
        ("10.0.0.1 - - [17/May/2015:10:05:03 +0000]" + TAIL).getBytes(StandardCharsets.UTF_8);
    ParseResult r = AUTO.parse(line, "web-1");
    assertThat(((ParseResult.Parsed) r).event().getSource()).isEqualTo("web-1");
  }
}
