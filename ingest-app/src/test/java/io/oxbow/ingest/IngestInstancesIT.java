package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.config.ConfigSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two ingest instances with the default transactional-id prefix on one Kafka: neither fences the
 * other, so requests to both, interleaved, are all written.
 */
@ExtendWith(KafkaBackendExtension.class)
class IngestInstancesIT {
  @Test
  void shouldLetTwoInstancesWithDefaultSettingsBothWrite(KafkaBackend kafka) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> settings =
        Map.of(
            IngestConfig.BOOTSTRAP_SERVERS.key(),
            kafka.bootstrapServers(),
            IngestConfig.PORT.key(),
            "0",
            IngestConfig.LOGS_TOPIC.key(),
            "instances-logs-" + id,
            IngestConfig.ORDERS_TOPIC.key(),
            "instances-orders-" + id,
            IngestConfig.IDEMPOTENCY_TOPIC.key(),
            "instances-idem-" + id,
            IngestConfig.WRITERS.key(),
            "1");
    try (IngestApp first = start(settings);
        IngestApp second = start(settings)) {
      List<Integer> statuses = new ArrayList<>();
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        IngestApp to = i % 2 == 0 ? first : second;
        String line = "request " + i + " to " + (i % 2 == 0 ? "first" : "second");
        sent.add(line);
        statuses.add(
            new IngestClient(to.baseUrl())
                .post("/v1/logs", "text/plain", line + "\n", "Idempotency-Key", id + "-" + i)
                .status());
      }

      assertThat(statuses).as("no instance fenced by the other").containsOnly(200);
      List<String> written =
          TestSupport.readAll(kafka.bootstrapServers(), "instances-logs-" + id).stream()
              .map(r -> TestSupport.avroRead(r.value(), RawLogLine.class))
              .map(l -> StandardCharsets.UTF_8.decode(l.getLine()).toString())
              .toList();
      assertThat(written).containsExactlyInAnyOrderElementsOf(sent);
    }
  }

  @Test
  void shouldAnswerARetryOfAKeyTheOtherInstanceCommittedWithoutWritingItAgain(KafkaBackend kafka)
      throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> settings =
        Map.of(
            IngestConfig.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
            IngestConfig.PORT.key(), "0",
            IngestConfig.LOGS_TOPIC.key(), "retry-logs-" + id,
            IngestConfig.ORDERS_TOPIC.key(), "retry-orders-" + id,
            IngestConfig.IDEMPOTENCY_TOPIC.key(), "retry-idem-" + id);
    try (IngestApp first = start(settings);
        IngestApp second = start(settings)) {
      for (int i = 0; i < 5; i++) {
        String key = id + "-" + i;
        String body = "line " + i + "\n";
        IngestClient.Reply written =
            new IngestClient(first.baseUrl())
                .post("/v1/logs", "text/plain", body, "Idempotency-Key", key);
        // the same request at once on the other instance, as a client failing over sends it
        IngestClient.Reply retried =
            new IngestClient(second.baseUrl())
                .post(
                    "/v1/logs", "text/plain", body, "Idempotency-Key", key, "X-Oxbow-Attempt", "2");

        assertThat(written.status()).isEqualTo(200);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
      }
      IngestClient.Reply badAttempt =
          new IngestClient(second.baseUrl())
              .post(
                  "/v1/logs",
                  "text/plain",
                  "x\n",
                  "Idempotency-Key",
                  id + "-x",
                  "X-Oxbow-Attempt",
                  "0");

      assertThat(TestSupport.readAll(kafka.bootstrapServers(), "retry-logs-" + id)).hasSize(5);
      assertThat(badAttempt.status()).isEqualTo(400);
      assertThat(badAttempt.json().path("error").asText()).contains("X-Oxbow-Attempt");
    }
  }

  private static IngestApp start(Map<String, String> settings) throws InterruptedException {
    return IngestApp.builder(IngestConfig.from(ConfigSource.ofFlags(settings)))
        .logSerializer(TestSupport.<RawLogLine>avroSerializer())
        .orderSerializer(TestSupport.<Order>avroSerializer())
        .build()
        .start();
  }
}
