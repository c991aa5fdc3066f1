package io.oxbow.batch.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.batch.BatchConfig;
import io.oxbow.runtime.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamSettingsTest {

  @Test
  void shouldDefaultToTheStreamProcessorAndItsInputs() {
    UpstreamSettings upstream = BatchConfig.of(Map.of()).upstream();
    assertThat(upstream.groupId()).isEqualTo("oxbow-stream");
    assertThat(upstream.inputsOf("access-logs.enriched")).containsExactly("access-logs.raw");
    assertThat(upstream.inputsOf("orders.attributed")).containsExactly("orders");
    assertThat(upstream.inputsOf("access-logs.raw")).isEmpty();
  }

  @Test
  void shouldReadSeveralInputsAndNoUpstreamAtAll() {
    assertThat(
            UpstreamSettings.parseInputs(
                "staging.enriched=staging.raw+staging.orders, staging.attributed=staging.orders"))
        .isEqualTo(
            Map.of(
                "staging.enriched", List.of("staging.raw", "staging.orders"),
                "staging.attributed", List.of("staging.orders")));
    assertThat(BatchConfig.of(Map.of("batch.upstream-topics", "")).upstream().inputs()).isEmpty();
  }

  @Test
  void shouldNameTheSettingInErrors() {
    assertThatThrownBy(() -> BatchConfig.of(Map.of("batch.upstream-topics", "enriched:raw")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.upstream-topics")
        .hasMessageContaining("landed-topic=input-topic");
    assertThatThrownBy(() -> BatchConfig.of(Map.of("batch.upstream-topics", "enriched=raw+")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.upstream-topics");
    assertThatThrownBy(() -> BatchConfig.of(Map.of("batch.upstream-group-id", " ")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.upstream-group-id");
  }
}
