package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.localkafka.LocalKafka;
import io.oxbow.runtime.config.ConfigSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away and comes back: requests get a prompt 503 (aborted) or 504 (commit not
 * confirmed) with Retry-After (never a hang, never a 200 for records Kafka did not take), readiness
 * reports Kafka down, and after the broker returns every acknowledged line is in the topic exactly
 * once.
 */
class IngestBrokerOutageIT {
  @TempDir Path dataDir;

  @Test
  void shouldAnswerRetryLaterWhileTheBrokerIsDownAndLoseNoAcknowledgedRecord() throws Exception {
    int port = freePort();
    LocalKafka broker = LocalKafka.builder().port(port).dataDir(dataDir).build().start();
    String bootstrap = broker.bootstrapServers();
    IngestConfig config =
        IngestConfig.from(
            ConfigSource.ofFlags(
                Map.of(
                    IngestConfig.BOOTSTRAP_SERVERS.key(), bootstrap,
                    IngestConfig.PORT.key(), "0",
                    IngestConfig.HOST.key(), "127.0.0.1",
                    IngestConfig.LOGS_TOPIC.key(), "outage-logs",
                    IngestConfig.IDEMPOTENCY_TOPIC.key(), "outage-idempotency",
                    IngestConfig.TRANSACTIONAL_ID_PREFIX.key(), "outage",
                    IngestConfig.ACK_TIMEOUT.key(), "2s")));
    List<String> acknowledged = new ArrayList<>();
    try (IngestApp app =
        IngestApp.builder(config)
            .logSerializer(AvroBytes.<RawLogLine>serializer())
            .orderSerializer(AvroBytes.<Order>serializer())
            .build()
            .start()) {
      IngestClient client = new IngestClient(app.baseUrl());
      for (int i = 0; i < 3; i++) {
        assertThat(send(client, "before-" + i).status()).isEqualTo(200);
        acknowledged.add("before-" + i);
      }

      broker.close();
      long begin = System.nanoTime();
      IngestClient.Reply during = send(client, "during");
      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(8));
      // 503: aborted; 504: the commit was not confirmed (outcome unknown): both say retry later
      assertThat(during.status()).isIn(503, 504);
      assertThat(during.header("Retry-After")).isEqualTo("1");
      assertThat(client.get("/health/ready").status()).isEqualTo(503);

      broker = LocalKafka.builder().port(port).dataDir(dataDir).build().start();
      AtomicReference<IngestClient.Reply> retried = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                retried.set(send(client, "during"));
                return retried.get().status() == 200;
              });
      acknowledged.add("during");
      assertThat(send(client, "after").status()).isEqualTo(200);
      acknowledged.add("after");
      // the readiness check's own admin client reconnects on its own schedule (measured: ready
      // about 100 ms after the first write went through again)
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> client.get("/health/ready").status() == 200);
      await()
          .untilAsserted(
              () -> assertThat(lines(bootstrap)).containsExactlyInAnyOrderElementsOf(acknowledged));
    } finally {
      broker.close();
    }
  }

  private static List<String> lines(String bootstrap) {
    return TopicReader.readAll(bootstrap, "outage-logs").stream()
        .map(r -> AvroBytes.read(r.value(), RawLogLine.class))
        .map(l -> StandardCharsets.UTF_8.decode(l.getLine()).toString())
        .toList();
  }

  /** Each line is sent as a client would: with an Idempotency-Key, retried with the same key. */
  private static IngestClient.Reply send(IngestClient client, String line) {
    return client.post(
        "/v1/logs",
        "text/plain",
        line + "\n",
        "X-Oxbow-Source",
        "outage",
        "Idempotency-Key",
        "key-" + line);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
