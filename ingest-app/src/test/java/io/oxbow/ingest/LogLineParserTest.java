package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineParserTest {
  private final LogLineParser parser = new LogLineParser(10, IngestLimits.DEFAULTS);

  /** One line as the parser handed it over. */
  private record Line(byte[] bytes, String source) {
    String text() {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static List<Line> collect(java.util.function.Consumer<LogLineParser.Sink> parse) {
    List<Line> lines = new ArrayList<>();
    parse.accept(
        (b, from, to, source) -> lines.add(new Line(Arrays.copyOfRange(b, from, to), source)));
    return lines;
  }

  @Test
  void shouldSplitOnNewlinesKeepBytesAndSkipEmptyLines() {
    List<Line> lines = collect(sink -> parser.plain(bytes("a\r\n\nb\u00e9\nc"), "src", sink));
    assertThat(lines).extracting(Line::text).containsExactly("a", "b\u00e9", "c");
    assertThat(lines).extracting(Line::source).containsOnly("src");
  }

  @Test
  void shouldNameTheLineOverTheLimit() {
    assertThatThrownBy(() -> collect(sink -> parser.plain(bytes("ok\n\n0123456789X\n"), "s", sink)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(413);
              assertThat(e.getMessage()).contains("line 3");
            });
  }

  @Test
  void shouldReadNdjsonWithSourceOverrides() {
    List<Line> lines =
        collect(
            sink ->
                parser.ndjson(
                    bytes("{\"line\":\"x\"}\n\n{\"line\":\"y\",\"source\":\"other\"}\n"),
                    "default",
                    sink));
    assertThat(lines).extracting(Line::source).containsExactly("default", "other");
  }

  @Test
  void shouldListEveryBadNdjsonLine() {
    assertThatThrownBy(
            () -> collect(sink -> parser.ndjson(bytes("[]\n{\"line\":1}\nnope\n"), "s", sink)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.errors())
                    .extracting(ApiException.FieldError::index)
                    .containsExactly(0, 1, 2));
  }

  @Test
  void shouldListTheFirstErrorsAndCountAllOfManyBadLines() {
    byte[] body = bytes("{}\n".repeat(200_000));
    long start = System.nanoTime();
    assertThatThrownBy(() -> collect(sink -> parser.ndjson(body, "s", sink)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errors()).hasSize(IngestLimits.DEFAULTS.maxErrorsListed());
              assertThat(e.getMessage())
                  .startsWith("200000 NDJSON line(s) are invalid (the first 100 listed)");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void shouldRefuseAnOverlongOrControlCharacterSource() {
    assertThat(parser.sourceProblem("web-1")).isNull();
    assertThat(parser.sourceProblem("s".repeat(257))).contains("ingest.max-source-chars");
    assertThat(parser.sourceProblem("a\u0000b")).contains("control");
    assertThatThrownBy(
            () ->
                collect(
                    sink ->
                        parser.ndjson(
                            bytes("{\"line\":\"x\",\"source\":\"" + "s".repeat(300) + "\"}"),
                            "d",
                            sink)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.errors())
                    .extracting(ApiException.FieldError::field)
                    .containsExactly("source"));
  }

  @Test
  void shouldCountLinesWithoutParsing() {
    assertThat(LogLineParser.countLines(bytes(""))).isZero();
    assertThat(LogLineParser.countLines(bytes("a\n\nb"))).isEqualTo(3);
    assertThat(LogLineParser.countLines(bytes("a\n"))).isEqualTo(1);
  }
}
