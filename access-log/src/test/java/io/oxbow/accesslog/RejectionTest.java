package io.oxbow.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lines that are not log lines get a reason code and the column where parsing stopped. */
class RejectionTest {

  private static final AccessLogParser AUTO = AccessLogParser.forFormat(LogFormat.AUTO);
  private static final AccessLogParser COMBINED = AccessLogParser.forFormat(LogFormat.COMBINED);
  private static final String GOOD =
      "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8.0\"";

  static ParseResult.Rejected rejected(AccessLogParser parser, byte[] line) {
    ParseResult r = parser.parse(line);
    assertThat(r)
        .as(new String(line, StandardCharsets.ISO_8859_1))
        .isInstanceOf(ParseResult.Rejected.class);
    return (ParseResult.Rejected) r;
  }

  static ParseResult.Rejected rejected(AccessLogParser parser, String line) {
    return rejected(parser, line.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} -> {1} at {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HT|TRUNCATED|52",
        "10.0.0.1 - - [17/May/2015:10:0|TRUNCATED|31",
        "10.0.0.1 - -|TRUNCATED|13",
        "10.0.0.1 - - [30/Feb/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5|BAD_TIMESTAMP|15",
        "10.0.0.1 - - [17/Mai/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5|BAD_TIMESTAMP|18",
        "10.0.0.1 - - [17/May/2015:25:05:03 +0000] \"GET / HTTP/1.1\" 200 5|BAD_TIMESTAMP|27",
        "10.0.0.1 - - [17/May/201x:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5|BAD_TIMESTAMP|22",
        "10.0.0.1 - - [17/May/2x15:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5|BAD_TIMESTAMP|22",
        "10.0.0.1 - - [17/May/2015:10:05:03 0000] \"GET / HTTP/1.1\" 200 5|BAD_TIMESTAMP|36",
        "10.0.0.1 - - 17/May/2015:10:05:03 +0000 \"GET / HTTP/1.1\" 200 5|BAD_TIMESTAMP|14",
        "10.0.0.1 - - [17/May/2015:10:05:03 +0000] GET / HTTP/1.1 200 5|BAD_REQUEST_LINE|43",
        "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 2x0 5|BAD_STATUS|61",
        "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5k|BAD_BYTES|65",
        "<html><body>|BAD_CLIENT|1",
      })
  void shouldRejectWithReasonAndColumn(String line, RejectReason reason, int column) {
    assertThat(rejected(AUTO, line)).isEqualTo(new ParseResult.Rejected(reason, column));
  }

  @Test
  void shouldRejectACombinedLineCutInsideTheReferrer() {
    ParseResult.Rejected r =
        rejected(
            COMBINED,
            "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"http://ref");
    assertThat(r).isEqualTo(new ParseResult.Rejected(RejectReason.TRUNCATED, 77));
  }

  @Test
  void shouldRejectACombinedLineThatStopsAfterTheReferrer() {
    ParseResult.Rejected r =
        rejected(
            COMBINED, "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\"");
    assertThat(r.reason()).isEqualTo(RejectReason.TRUNCATED);
  }

  @Test
  void shouldRejectEmptyAndBlankLines() {
    assertThat(rejected(AUTO, "").reason()).isEqualTo(RejectReason.EMPTY);
    assertThat(rejected(AUTO, "   \r\n").reason()).isEqualTo(RejectReason.EMPTY);
  }

  @Test
  void shouldRejectRawBytesThatAreNotUtf8WithTheirColumn() {
    byte[] line = GOOD.getBytes(StandardCharsets.US_ASCII);
    line[line.length - 3] = (byte) 0xe4;
    assertThat(rejected(AUTO, line))
        .isEqualTo(new ParseResult.Rejected(RejectReason.NOT_UTF8, line.length - 2));
  }

  @Test
  void shouldRejectBinaryJunk() {
    byte[] junk = {0x16, 0x03, 0x01, 0x00, (byte) 0xc0, 0x14};
    assertThat(rejected(AUTO, junk).reason()).isEqualTo(RejectReason.NOT_UTF8);
    assertThat(rejected(AUTO, new byte[] {0x16, 0x03, 0x01, 0x00}).reason())
        .isEqualTo(RejectReason.BAD_CLIENT);
  }

  @Test
  void shouldRejectLinesOverTheLimitAsTooLong() {
    AccessLogParser small = AUTO.withMaxLineBytes(200);
    String line = GOOD.replace("curl/8.0", "x".repeat(300));
    assertThat(rejected(small, line))
        .isEqualTo(new ParseResult.Rejected(RejectReason.TOO_LONG, 201));
    assertThat(small.parse(GOOD).isParsed()).isTrue();
  }

  @Test
  void shouldRejectGarbageGluedToTheLastField() {
    AccessLogParser common = AccessLogParser.forFormat(LogFormat.COMMON);
    String line = "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 512garbage";
    assertThat(rejected(common, line))
        .isEqualTo(new ParseResult.Rejected(RejectReason.BAD_BYTES, 67));
  }

  @Test
  void shouldNameMalformedNumbersSeparatorsAndFields() {
    AccessLogParser timed = AccessLogParser.forFormat(LogFormat.apache("%h %t %>s %D"));
    assertThat(rejected(timed, "10.0.0.1 [17/May/2015:10:05:03 +0000] 200 12ms"))
        .isEqualTo(new ParseResult.Rejected(RejectReason.BAD_NUMBER, 45));
    AccessLogParser labelled = AccessLogParser.forFormat(LogFormat.apache("client=%h %t %>s"));
    assertThat(rejected(labelled, "host=10.0.0.1 [17/May/2015:10:05:03 +0000] 200"))
        .isEqualTo(new ParseResult.Rejected(RejectReason.UNEXPECTED_TEXT, 1));
    String unquotedReferrer =
        "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 - \"curl/8.0\"";
    assertThat(rejected(COMBINED, unquotedReferrer))
        .isEqualTo(new ParseResult.Rejected(RejectReason.BAD_FIELD, 66));
  }
}
