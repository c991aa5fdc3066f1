package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.batch.BatchApp;
import io.oxbow.batch.BatchConfig;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.kafka.TopicReadiness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two batch-loader instances in one group on one lake: exactly one is the compactor ({@code
 * "compacting": true} on {@code GET /status}), and when it stops the role moves to the other.
 */
@ExtendWith(KafkaBackendExtension.class)
class CompactorHandoverIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void shouldHaveOneCompactorAndMoveTheRoleWhenItStops(KafkaBackend kafka) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "handover-enriched-" + id;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
      TopicReadiness.await(admin, List.of(topic), Duration.ofSeconds(30));
    }
    BatchConfig config =
        BatchConfig.of(
            Map.of(
                "batch.bootstrap-servers",
                kafka.bootstrapServers(),
                "batch.schema-registry-url",
                "mock://handover-" + id,
                "batch.lake-dir",
                dir.resolve("lake").toString(),
                "batch.group-id",
                "handover-" + id,
                "batch.datasets",
                topic + ":event_time:access-logs.enriched",
                "batch.compaction-interval",
                "1s",
                "batch.http-port",
                "0"));
    BatchApp first = BatchApp.start(config);
    try (BatchApp second = BatchApp.start(config)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(List.of(compacting(first), compacting(second)))
                      .as("both in the group, one compactor")
                      .containsExactlyInAnyOrder(true, false));
      BatchApp compactor = compacting(first) ? first : second;
      BatchApp other = compactor == first ? second : first;

      compactor.close();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(compacting(other)).as("the role moved").isTrue());
    } finally {
      first.close();
    }
  }

  private boolean compacting(BatchApp app) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(app.httpUrl() + "/status")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return JSON.readTree(body).path("compacting").asBoolean();
  }
}
