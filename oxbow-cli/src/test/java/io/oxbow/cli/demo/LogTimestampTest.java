package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LogTimestampTest {
  private static final String LINE =
      "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /a HTTP/1.1\" 200 203023 \"-\" \"ua\"";

  @Test
  void findsTheBracketedTimestamp() {
    LogTimestamp.Found found = LogTimestamp.find(bytes(LINE)).orElseThrow();
    assertThat(found.instant()).isEqualTo(Instant.parse("2015-05-17T10:05:03Z"));
    assertThat(found.offset()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void rewritesOnlyTheTimestampAndKeepsTheLinesOffset() {
    String line = "h - - [01/Jan/2020:00:00:00 +0330] \"GET /\\xff HTTP/1.0\" 200 1";
    byte[] raw = bytes(line);
    LogTimestamp.Found found = LogTimestamp.find(raw).orElseThrow();
    assertThat(found.instant()).isEqualTo(Instant.parse("2019-12-31T20:30:00Z"));
    byte[] moved = LogTimestamp.rewrite(raw, found, Instant.parse("2026-11-25T12:00:00Z"));
    assertThat(new String(moved, StandardCharsets.ISO_8859_1))
        .isEqualTo("h - - [25/Nov/2026:15:30:00 +0330] \"GET /\\xff HTTP/1.0\" 200 1");
  }

  @Test
  void skipsBracketsThatAreNotTimestampsAndReportsLinesWithout() {
    String line = "h - - [not a time at all, really] [17/May/2015:10:05:03 +0000] \"GET /\"";
    assertThat(LogTimestamp.find(bytes(line)).orElseThrow().instant())
        .isEqualTo(Instant.parse("2015-05-17T10:05:03Z"));
    assertThat(LogTimestamp.find(bytes("\u0016\u0003\u0001 junk"))).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
