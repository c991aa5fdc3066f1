package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.TopicNames;
import io.oxbow.contracts.avro.AccessLogEvent;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oxbow on a three-broker cluster, every part its own {@code oxbow} process: three {@code oxbow
 * broker} nodes of one KRaft quorum, the registry, the stream processor and the ingest app. The
 * topics come out replicated three times with {@code min.insync.replicas=2}; while lines are being
 * posted, the broker leading partition 0 of the raw topic is killed with SIGKILL; every
 * acknowledged line then reaches the enriched topic exactly once (read_committed), and the broker,
 * restarted on its data directory, rejoins the ISR.
 *
 * <p>Part of {@code mvn verify} (about a minute); alone: {@code mvn verify -Pcluster -pl oxbow-cli
 * -am} (see docs/operations.md).
 */
class ClusterFailoverIT {
  private static final Duration START = Duration.ofMinutes(3);
  private static final List<String> JVM = List.of("-XX:TieredStopAtLevel=1");
  private static final int BATCHES = 40;
  private static final int LINES_PER_BATCH = 25;
  private static final int KILL_AFTER_BATCH = 10;

  @TempDir Path dir;

  private final List<OxbowProcess> processes = new ArrayList<>();

  @Test
  void shouldLoseAndDoubleNoAcknowledgedLineWhenTheRawLeaderIsKilled() throws Exception {
    long begin = System.nanoTime();
    try (BrokerQuorum brokers = BrokerQuorum.start(3, dir, JVM)) {
      String bootstrap = brokers.bootstrap();
      OxbowProcess registryProcess =
          start("registry", "--bootstrap-servers", bootstrap, "--port", "0");
      String registry = registryProcess.awaitLine("registry: ", START);
      OxbowProcess stream =
          start(
              "stream",
              "--bootstrap-servers",
              bootstrap,
              "--schema-registry-url",
              registry,
              "--http-port",
              "0",
              "--grace",
              "3h",
              "--state-dir",
              dir.resolve("streams").toString());
      stream.awaitLine("stream: ", START);
      OxbowProcess ingest =
          start(
              "ingest",
              "--bootstrap-servers",
              bootstrap,
              "--schema-registry-url",
              registry,
              "--port",
              "0");
      URI ingestUrl = URI.create(ingest.awaitLine("ingest: ", START));

      try (Admin admin = brokers.admin();
          TopicTool topics = new TopicTool(bootstrap, registry)) {
        BrokerQuorum.assertEveryOxbowTopicIsReplicatedThreeTimesWithMinIsrTwo(admin);
        int killed = BrokerQuorum.leaderOfRawPartitionZero(admin);

        RetryingIngestClient client = new RetryingIngestClient(ingestUrl);
        CountDownLatch killMoment = new CountDownLatch(1);
        AtomicInteger acknowledged = new AtomicInteger();
        CompletableFuture<Void> sender =
            CompletableFuture.runAsync(
                () -> {
                  for (int b = 0; b < BATCHES; b++) {
                    client.postLines("cluster-" + b, "source-" + (b % 6), batch(b));
                    acknowledged.incrementAndGet();
                    if (b == KILL_AFTER_BATCH) {
                      killMoment.countDown();
                    }
                  }
                });
        assertThat(killMoment.await(3, TimeUnit.MINUTES)).isTrue();
        long killedAt = System.nanoTime();
        brokers.kill(killed);
        sender.get(5, TimeUnit.MINUTES);
        System.out.printf(
            "cluster: broker %d killed after batch %d; %d batches acknowledged with %d retries,"
                + " %.1f s after the kill%n",
            killed,
            KILL_AFTER_BATCH,
            acknowledged.get(),
            client.retries(),
            (System.nanoTime() - killedAt) / 1e9);

        Map<String, Long> expected = expectedPaths();
        await("every acknowledged line in the enriched topic exactly once")
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofSeconds(2))
            .untilAsserted(() -> assertThat(enrichedPaths(topics)).isEqualTo(expected));

        double caughtUp = (System.nanoTime() - killedAt) / 1e9;
        long restartedAt = System.nanoTime();
        brokers.restart(killed);
        await("broker " + killed + " back in the ISR of raw partition 0")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () ->
                    assertThat(BrokerQuorum.rawPartitionZero(admin).isr())
                        .extracting(Node::id)
                        .contains(killed)
                        .hasSize(3));
        System.out.printf(
            "cluster: %d lines in the enriched topic exactly once %.1f s after the kill; broker %d"
                + " back in the ISR %.1f s after its restart began%n",
            expected.size(), caughtUp, killed, (System.nanoTime() - restartedAt) / 1e9);
      }
      System.out.printf("cluster: whole run %.1f s%n", (System.nanoTime() - begin) / 1e9);
    } finally {
      for (int i = processes.size() - 1; i >= 0; i--) {
        processes.get(i).close();
      }
    }
  }

  /** Batch {@code b}: lines whose paths ({@code /cluster/b/i}) name them. */
  private static byte[] batch(int b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < LINES_PER_BATCH; i++) {
      sb.append("83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /cluster/")
          .append(b)
          .append('/')
          .append(i)
          .append(" HTTP/1.1\" 200 1234 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Long> expectedPaths() {
    Map<String, Long> expected = new TreeMap<>();
    for (int b = 0; b < BATCHES; b++) {
      for (int i = 0; i < LINES_PER_BATCH; i++) {
        expected.put("/cluster/" + b + "/" + i, 1L);
      }
    }
    return expected;
  }

  private static Map<String, Long> enrichedPaths(TopicTool topics) {
    return topics.values(TopicNames.ACCESS_LOGS_ENRICHED, AccessLogEvent.class).stream()
        .map(e -> String.valueOf(e.getPath()))
        .filter(p -> p.startsWith("/cluster/"))
        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
  }

  private OxbowProcess start(String... args) throws IOException {
    OxbowProcess p = OxbowProcess.start(JVM, Map.of(), args);
    processes.add(p);
    return p;
  }
}
