package io.oxbow.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchConfigTest {

  @Test
  void shouldDefaultToTheLocalLakeAndTheThreePipelineTopics() {
    BatchConfig config = BatchConfig.of(Map.of());

    assertThat(config.lake().dir()).isEqualTo(Path.of("./data/lake"));
    assertThat(config.lake().uri()).isEmpty();
    assertThat(config.datasets())
        .extracting(d -> d.topic() + "->" + d.dataset() + ":" + d.timeField())
        .containsExactly(
            "access-logs.enriched->access_logs_enriched:event_time",
            "orders.attributed->orders_attributed:event_time",
            "access-logs.raw->access_logs_raw:received_time");
    assertThat(config.allowedLateness()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.roll().maxRows()).isEqualTo(100_000);
  }

  @Test
  void shouldMapADatasetToTheViewSourceItFeeds() {
    BatchConfig config =
        BatchConfig.of(Map.of("batch.datasets", "my-logs:ts:access-logs.enriched"));
    assertThat(config.datasets().get(0).viewSource()).isEqualTo("access-logs.enriched");
    assertThat(config.datasets().get(0).dataset()).isEqualTo("my_logs");
  }

  @Test
  void shouldNameTheSettingInErrors() {
    assertThatThrownBy(() -> BatchConfig.of(Map.of("batch.lake-uri", "http://x/y")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.lake-uri")
        .hasMessageContaining("s3://bucket/prefix");
    assertThatThrownBy(() -> BatchConfig.of(Map.of("batch.datasets", "just-a-topic")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.datasets")
        .hasMessageContaining("topic:time-field");
    assertThatThrownBy(() -> BatchConfig.of(Map.of("batch.allowed-lateness", "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.allowed-lateness");
  }

  @Test
  void shouldReadAnS3Lake() {
    BatchConfig config =
        BatchConfig.of(
            Map.of(
                "batch.lake-uri", "s3://lake/prod",
                "batch.s3-endpoint", "http://127.0.0.1:9000"));
    assertThat(config.lake().uri())
        .hasValueSatisfying(u -> assertThat(u.getHost()).isEqualTo("lake"));
    assertThat(config.lake().s3().pathStyle()).isTrue();
  }
}
