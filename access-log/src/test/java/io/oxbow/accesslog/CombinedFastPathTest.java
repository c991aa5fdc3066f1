package io.oxbow.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one-pass reader of common/combined lines gives, for every line, exactly the result of the
 * general scanner: the same event field by field, or (when it steps aside) the same rejection and
 * column. Checked over the bundled samples, crafted hostile lines, every truncation of a real line
 * and every single-byte substitution of it with awkward bytes.
 */
class CombinedFastPathTest {

  private static final AccessLogParser FAST = AccessLogParser.forFormat(LogFormat.AUTO);
  private static final AccessLogParser GENERAL = FAST.withoutFastPath();

  private static final String BASE =
      "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /presentations/logstash/kibana.png?a=1&b"
          + " HTTP/1.1\" 200 203023 \"http://semicomplete.com/presentations/\" \"Mozilla/5.0"
          + " (Macintosh; Intel Mac OS X 10_9_1) Chrome/32.0.1700.77 Safari/537.36\"";

  /** Lines the fast path must accept itself (so the comparisons below are not vacuous). */
  private static final List<String> ACCEPTED =
      List.of(
          BASE,
          "10.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
          "0.0.0.0 - - [29/Feb/2024:23:59:60 +1400] \"POST /a? HTTP/2.0\" 201 - \"-\" \"-\"",
          "255.255.255.255 id u [01/jan/1999:00:00:00 -1200] \"HEAD / HTTP/2\" 304 0 \"\" \"\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"PROPFIND /x?y?z HTTP/3\" 207 1\t\"r\"\t\"u\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /q\"uote HTTP/1.1\" 200 5 \"a\"b\" \"c\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /old\" 200 999999999999999999",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"POSTX /p HTTP/1.1\" 200 1 \"\u007f\" \"\u0001\"",
          "010.001.000.009 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "2001:DB8:0:0:0:0:0:1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "[::1] - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"r\" \"u\" \"-\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\" \"1.1.1.1, ::1\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"r\" \"u\" \"no/address\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"r\" \"u\" \"\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /a\\\"b HTTP/1.1\" 200 1 \"\\x41\\\\\" \"a \\\"q\\\" b\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"\\-\" \"\\x2d\" \"\\x31.1.1.1\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"\\xe4\\xb8\\xad\" \"\\xff\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"\\x16\\x03\\x01\" 400 0 \"-\" \"-\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"-\" 408 - \"-\" \"-\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"\" 400 0",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"CONNECT x:443 HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET http://x/?a HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"M-SEARCH * HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /a  HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /a\u0001b HTTP/1.1\" 200 1",
          "crawl-66-249-66-1.googlebot.com - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 2 1");

  /** Lines the general path reads differently or rejects: the fast path must step aside. */
  private static final List<String> HOSTILE =
      List.of(
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /caf\u00e9 HTTP/1.1\" 200 1",
          "h\u00f6st - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /a\\\"b HTTP/1.1\" 200 1 \"\\x41\" \"u\"",
          "1.2.3.4 \\- - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3.4\t- - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /a\u0001b HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /a\u007fb HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /a\tb HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /a  HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /a HTTP/1.1x\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET http://x/ HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"CONNECT x:443 HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"OPTIONS * HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"M-SEARCH * HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"ABCDEFGHIJKLMNOPQRSTUVWXYZ / HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"\\x16\\x03\\x01\" 400 0 \"-\" \"-\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"-\" 408 - \"-\" \"-\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"\" 400 0",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 2000 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1234567890123456789",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 -1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200  1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"r\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"r\" \"u\" \"a\" \"b\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"r\" \"u\" x",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"r\"\"u\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"r\" \"unterminated",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 r u",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\"",
          "1.2.3.4 - - [31/Feb/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/Mai/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3.4 - - 17/May/2015:10:05:03 +0000 \"GET / HTTP/1.1\" 200 1",
          "vhost:80 1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"r\" \"u\"",
          "1.2.3.256 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3.4. - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1..3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "bad!host - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          " 1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3.4  - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"\u00e9\" \"u\"",
          "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"r\" \"\u00ff\u00fe\"",
          "-",
          "");

  /** Bytes that are separators, escapes, controls or not ASCII in one or another field. */
  private static final byte[] AWKWARD = {
    ' ',
    '\t',
    '"',
    '\\',
    '[',
    ']',
    '-',
    '.',
    ':',
    '?',
    '/',
    '0',
    '9',
    'A',
    0,
    0x01,
    0x7f,
    (byte) 0x80,
    (byte) 0xc3,
    (byte) 0xff
  };

  @Test
  void shouldReadTheCommonLayoutsItself() {
    for (String line : ACCEPTED) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      assertThat(CombinedFastPath.tryParse(b, 0, b.length, b.length, null)).as(line).isNotNull();
    }
    List<byte[]> elastic = SampleLogs.lines(SampleLogs.ELASTIC);
    long taken =
        elastic.stream()
            .filter(b -> CombinedFastPath.tryParse(b, 0, b.length, b.length, "k") != null)
            .count();
    assertThat(taken).isGreaterThan(elastic.size() * 95L / 100);
  }

  @Test
  void shouldMatchTheGeneralPathOnTheSamples() {
    for (String name :
        List.of(SampleLogs.ELASTIC, SampleLogs.CROWDSEC_NGINX, SampleLogs.CROWDSEC_APACHE)) {
      for (byte[] line : SampleLogs.lines(name)) {
        assertSame(line);
      }
    }
  }

  @Test
  void shouldMatchTheGeneralPathOnCraftedLines() {
    List<String> all = new ArrayList<>(ACCEPTED);
    all.addAll(HOSTILE);
    for (String line : all) {
      assertSame(line.getBytes(StandardCharsets.UTF_8));
      assertSame((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      assertSame((line + " \t").getBytes(StandardCharsets.UTF_8));
    }
    byte[] overlong =
        (BASE + " \"" + "x".repeat(AccessLogParser.DEFAULT_MAX_LINE_BYTES) + "\"")
            .getBytes(StandardCharsets.UTF_8);
    assertSame(overlong);
  }

  @Test
  void shouldMatchTheGeneralPathOnEveryTruncationAndSubstitution() {
    for (String line : ACCEPTED) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      for (int len = 0; len <= b.length; len++) {
        assertSame(Arrays.copyOf(b, len));
      }
      for (int p = 0; p < b.length; p++) {
        for (byte c : AWKWARD) {
          byte[] m = b.clone();
          m[p] = c;
          assertSame(m);
        }
      }
    }
  }

  @Test
  void shouldMatchTheGeneralPathInsideALargerBuffer() {
    byte[] line = BASE.getBytes(StandardCharsets.UTF_8);
    byte[] buf = new byte[line.length + 20];
    Arrays.fill(buf, (byte) '"');
    System.arraycopy(line, 0, buf, 7, line.length);
    for (int len = line.length - 40; len <= line.length; len++) {
      assertThat(FAST.parse(buf, 7, len, "src")).isEqualTo(GENERAL.parse(buf, 7, len, "src"));
    }
  }

  private static void assertSame(byte[] line) {
    ParseResult fast = FAST.parse(line, "source");
    ParseResult general = GENERAL.parse(line, "source");
    assertThat(fast).as(new String(line, StandardCharsets.UTF_8)).isEqualTo(general);
  }
}
