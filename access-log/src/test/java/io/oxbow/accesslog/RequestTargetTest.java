package io.oxbow.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.AccessLogEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A request target may hold no control character, space or DEL, whether the line has it raw or
 * escaped; a request line with one is kept, marked invalid, without path.
 */
class RequestTargetTest {
  private static final AccessLogParser AUTO = AccessLogParser.forFormat(LogFormat.AUTO);

  @Test
  void targetWithARawControlByteIsAnInvalidRequest() {
    AccessLogEvent e = event("GET /a\u007fb HTTP/1.1");

    assertThat(e.getRequestValid()).isFalse();
    assertThat(e.getPath()).isNull();
  }

  @Test
  void targetWithAnEscapedTabIsAnInvalidRequestToo() {
    // escapes are decoded, so the target is checked by character
    AccessLogEvent e = event("GET /a\\tb HTTP/1.1");

    assertThat(e.getRequestValid()).isFalse();
    assertThat(e.getRequest()).isEqualTo("GET /a\tb HTTP/1.1");
  }

  @Test
  void anEscapeThatWouldDecodeToDelIsKeptAsWrittenAndValid() {
    AccessLogEvent e = event("GET /a\\x7fb HTTP/1.1");

    assertThat(e.getRequestValid()).isTrue();
    assertThat(e.getPath()).isEqualTo("/a\\x7fb");
  }

  @Test
  void targetsOfAsciiEscapedAndUtf8LinesAreValid() {
    assertThat(event("GET /a/b?c=d HTTP/1.1").getPath()).isEqualTo("/a/b");
    assertThat(event("GET /a\\\"b HTTP/1.1").getPath()).isEqualTo("/a\"b");
    assertThat(event("GET /caf\u00e9 HTTP/1.1").getPath()).isEqualTo("/caf\u00e9");
  }

  private static AccessLogEvent event(String request) {
    String line =
        "203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] \""
            + request
            + "\" 200 512 \"-\" \"curl/8.0\"";
    ParseResult r = AUTO.parse(line.getBytes(StandardCharsets.UTF_8), null);
    assertThat(r).as(line).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) r).event();
  }
}
