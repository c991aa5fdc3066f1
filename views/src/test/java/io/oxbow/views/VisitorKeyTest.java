package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.views.record.RecordFields;
import io.oxbow.views.record.VisitorKey;
import org.junit.jupiter.api.Test;

/** The visitor: client address plus a hash of the user agent, the same wherever it is derived. */
class VisitorKeyTest {
  private static final String LINE =
      "66.249.73.135 - - [17/May/2015:10:05:40 +0000] \"GET /a HTTP/1.1\" 200 10 \"-\""
          + " \"Mozilla/5.0 (X11; Linux x86_64)\"";

  @Test
  void shouldKeyAVisitorByClientAndAStableUserAgentHash() {
    // SHA-256("Mozilla/5.0 (X11; Linux x86_64)"), first 8 bytes: a fixed value, since visitor
    // keys already written must keep meaning the same visitor
    assertThat(VisitorKey.of("66.249.73.135", "Mozilla/5.0 (X11; Linux x86_64)"))
        .isEqualTo("66.249.73.135|" + VisitorKey.userAgentHash("Mozilla/5.0 (X11; Linux x86_64)"))
        .hasSize("66.249.73.135|".length() + 16);
    assertThat(VisitorKey.userAgentHash("")).isEqualTo("e3b0c44298fc1c14");
    assertThat(VisitorKey.userAgentHash(null)).isEqualTo("e3b0c44298fc1c14");
  }

  @Test
  void shouldTellTwoBrowsersBehindOneAddressApart() {
    assertThat(VisitorKey.of("10.0.0.1", "Firefox"))
        .isNotEqualTo(VisitorKey.of("10.0.0.1", "Chrome"))
        .isNotEqualTo(VisitorKey.of("10.0.0.2", "Firefox"));
  }

  @Test
  void shouldRefuseAMissingClient() {
    assertThatThrownBy(() -> VisitorKey.of(null, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client");
  }

  @Test
  void shouldDeriveTheVisitorOfAnAccessLogEvent() {
    AccessLogEvent event = SampleData.parse(LINE);

    assertThat(RecordFields.resolve(Source.ACCESS_LOGS, "visitor").extract(event))
        .isEqualTo(VisitorKey.of("66.249.73.135", "Mozilla/5.0 (X11; Linux x86_64)"));
  }
}
