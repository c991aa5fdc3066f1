package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngestConfigTest {
  @Test
  void shouldHaveTheDocumentedDefaults() {
    IngestConfig config = IngestConfig.from(ConfigSource.ofFlags(Map.of()));
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.logsTopic()).isEqualTo("access-logs.raw");
    assertThat(config.ordersTopic()).isEqualTo("orders");
    assertThat(config.maxBodyBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(config.maxLineBytes()).isEqualTo(64L * 1024);
    assertThat(config.idempotencyWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(config.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void shouldReadTheEnvironmentAndNameBadSettings() {
    IngestConfig config =
        IngestConfig.from(
            ConfigSource.of(
                Map.of(), Map.of("OXBOW_INGEST_MAX_BODY_BYTES", "16MiB"), Optional.empty()));
    assertThat(config.maxBodyBytes()).isEqualTo(16L * 1024 * 1024);
    assertThatThrownBy(
            () -> IngestConfig.from(ConfigSource.ofFlags(Map.of("ingest.ack-timeout", "soon"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.ack-timeout");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    ConfigSource.ofFlags(Map.of("ingest.max-inflight-bytes", "1MiB"))))
        .hasMessageContaining("ingest.max-inflight-bytes");
  }
}
