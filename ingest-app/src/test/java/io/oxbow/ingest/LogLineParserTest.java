package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineParserTest {
  private final LogLineParser parser = new LogLineParser(10);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void shouldSplitOnNewlinesKeepBytesAndSkipEmptyLines() {
    List<LogLineParser.LogLine> lines = parser.plain(bytes("a\r\n\nb\u00e9\nc"), "src");
    assertThat(lines)
        .extracting(l -> new String(l.line(), StandardCharsets.ISO_8859_1))
        .containsExactly("a", "b\u00e9", "c");
    assertThat(lines).extracting(LogLineParser.LogLine::source).containsOnly("src");
  }

  @Test
  void shouldNameTheLineOverTheLimit() {
    assertThatThrownBy(() -> parser.plain(bytes("ok\n\n0123456789X\n"), "s"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(413);
              assertThat(e.getMessage()).contains("line 3");
            });
  }

  @Test
  void shouldReadNdjsonWithSourceOverrides() {
    List<LogLineParser.LogLine> lines =
        parser.ndjson(
            bytes("{\"line\":\"x\"}\n\n{\"line\":\"y\",\"source\":\"other\"}\n"), "default");
    assertThat(lines).extracting(LogLineParser.LogLine::source).containsExactly("default", "other");
  }

  @Test
  void shouldListEveryBadNdjsonLine() {
    assertThatThrownBy(() -> parser.ndjson(bytes("[]\n{\"line\":1}\nnope\n"), "s"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.errors())
                    .extracting(ApiException.FieldError::index)
                    .containsExactly(0, 1, 2));
  }
}
