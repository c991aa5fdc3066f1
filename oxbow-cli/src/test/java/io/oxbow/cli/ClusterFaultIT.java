package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline as a cluster, each part its own {@code oxbow} process from the packaged
 * launcher layout: three {@code oxbow broker} nodes (replication 3, {@code min.insync.replicas=2}),
 * the registry, and two instances each of ingest, stream processor, batch loader (one shared lake)
 * and serving API. Two {@code oxbow replay} processes send the bundled sample logs, and the orders
 * derived from them, one to each ingest instance, each failing over to the other.
 *
 * <p>While they send, at growing shares of the sample in the raw topic: SIGKILL of the broker
 * leading partition 0 of the raw topic, then of one ingest instance, one stream instance, the batch
 * instance that is the compactor, and one serving instance; then the broker is started again on its
 * data directory (it must rejoin the ISR) and the serving instance too (both must answer). The
 * killed ingest, stream and batch instances stay down: the survivors must take over their requests,
 * tasks, partitions and the compactor role.
 *
 * <p>After catch-up: every sent line was acknowledged and is in the raw topic once; the enriched
 * topic holds what the sent lines parse to, each once; the lake holds the raw and enriched topics
 * exactly (manifests, offset tiling, DuckDB count); and both serving instances answer the {@code
 * traffic} view's requests hour by hour, over every day of the sample, equal to the direct count of
 * the enriched topic. Prints each kill and recovery time.
 *
 * <p>Not in the default suite (12 service JVMs and 2 replays, about 5 minutes): {@code mvn verify
 * -Pcluster-fault -pl oxbow-cli -am} (docs/operations.md).
 */
class ClusterFaultIT {
  /** Small heaps, serial GC and the client compiler, so that 14 JVMs share two cores. */
  static final List<String> JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final Duration CATCH_UP = Duration.ofMinutes(4);
  private static final Instant SAMPLE_FROM = Instant.parse("2015-01-01T00:00:00Z");
  private static final Instant SAMPLE_TO = Instant.parse("2024-01-01T00:00:00Z");

  @TempDir Path dir;

  /** Completes once the surviving batch instance took the killed compactor's role. */
  private CompletableFuture<Void> compactorMoved;

  @Test
  void shouldHoldEveryAcknowledgedLineOnceWithABrokerAndOneInstanceOfEachServiceKilled()
      throws Exception {
    long begin = System.nanoTime();
    SampleReplay replay = SampleReplay.prepare(dir);
    List<SampleReplay.Line> lines = replay.lines();
    try (BrokerQuorum brokers = BrokerQuorum.start(3, dir, JVM);
        Fleet fleet = Fleet.start(brokers.bootstrap(), dir, JVM);
        replay;
        Admin admin = brokers.admin();
        TopicTool topics = new TopicTool(brokers.bootstrap(), fleet.registry())) {
      FaultLog log = new FaultLog(begin);
      BrokerQuorum.assertEveryOxbowTopicIsReplicatedThreeTimesWithMinIsrTwo(admin);
      log.note("cluster up: 3 brokers, registry, 2 x ingest/stream/batch/serve");
      replay.start(dir, fleet.ingest(0).url(), fleet.ingest(1).url(), JVM);

      Fleet.Batch compactor = killOneOfEach(brokers, fleet, admin, lines.size(), log);

      long acknowledged = replay.awaitAcknowledged();
      log.note(
          "replays done",
          ": "
              + acknowledged
              + " lines acknowledged, "
              + replay.failovers().size()
              + " client fail-overs");
      replay.failovers().forEach(l -> System.out.println("cluster fault: replay " + l));
      assertThat(acknowledged).as("lines acknowledged by the replays").isEqualTo(lines.size());

      PipelineOutcome outcome = new PipelineOutcome(topics, dir.resolve("lake"));
      long enrichedCount = assertCaughtUp(outcome, lines, fleet, log);
      assertThat(
              fleet.alive(
                  List.of(
                      fleet.ingest(1).service(),
                      fleet.stream(1),
                      fleet.other(compactor).service(),
                      fleet.serve(0).service(),
                      fleet.serve(1).service())))
          .as("the instances not killed, and serve-1 restarted")
          .isTrue();
      log.note(
          lines.size()
              + " lines sent, "
              + enrichedCount
              + " enriched over "
              + outcome.enrichedHours().size()
              + " hours; "
              + outcome.orderIds().size()
              + " orders");
      log.print();
    }
  }

  /**
   * Kills, at growing shares of the sample in the raw topic, the broker leading raw partition 0,
   * ingest-1, stream-1, the compactor and serve-1; restarts the broker (waiting until it is back in
   * the ISR) and serve-1. Returns the killed compactor.
   */
  private Fleet.Batch killOneOfEach(
      BrokerQuorum brokers, Fleet fleet, Admin admin, int lines, FaultLog log) throws Exception {
    atShare(admin, lines, 0.10);
    int leader = BrokerQuorum.leaderOfRawPartitionZero(admin);
    brokers.kill(leader);
    log.killed("broker " + leader + " (leader of raw partition 0)");
    atShare(admin, lines, 0.25);
    fleet.ingest(0).service().kill();
    log.killed("ingest-1");
    atShare(admin, lines, 0.40);
    fleet.stream(0).kill();
    log.killed("stream-1");
    atShare(admin, lines, 0.50);
    Fleet.Batch compactor = fleet.compactor();
    String compactorKill = compactor.service().name() + " (the compactor)";
    compactor.service().kill();
    log.killed(compactorKill);
    Fleet.Batch survivor = fleet.other(compactor);
    // timed while the run goes on: the role moves after the group's session timeout
    compactorMoved =
        CompletableFuture.runAsync(
            () -> {
              await("the compactor role on " + survivor.service().name())
                  .atMost(CATCH_UP)
                  .pollInterval(Duration.ofMillis(500))
                  .until(survivor::compacting);
              log.recovered("compactor role on " + survivor.service().name(), compactorKill);
            });
    atShare(admin, lines, 0.60);
    fleet.serve(0).service().kill();
    log.killed("serve-1");

    atShare(admin, lines, 0.70);
    brokers.restart(leader);
    log.note("broker " + leader + " restarted");
    await("broker " + leader + " back in the ISR of raw partition 0")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(BrokerQuorum.rawPartitionZero(admin).isr())
                    .extracting(Node::id)
                    .contains(leader)
                    .hasSize(3));
    log.recovered("broker " + leader + " back in the ISR", "broker " + leader + " restarted");
    atShare(admin, lines, 0.80);
    fleet.serve(0).service().start();
    log.note("serve-1 restarted");
    fleet.serve(0).service().awaitReady();
    log.recovered("serve-1 ready", "serve-1 restarted");

    return compactor;
  }

  /**
   * Waits until the stream processor, the lake and both serving instances hold what the sent lines
   * make, asserting the raw topic and the orders on the way; returns the enriched count.
   */
  private long assertCaughtUp(
      PipelineOutcome outcome, List<SampleReplay.Line> lines, Fleet fleet, FaultLog log)
      throws Exception {
    assertThat(outcome.rawLines())
        .as("every acknowledged line in the raw topic once")
        .isEqualTo(PipelineOutcome.sent(lines));
    Map<String, Long> expected = PipelineOutcome.expectedEnriched(lines);
    await("every accepted line in the enriched topic exactly once")
        .atMost(CATCH_UP)
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(outcome.enrichedRows()).isEqualTo(expected));
    log.recovered("stream caught up (enriched exactly once)", "replays done");
    assertThat(outcome.orderIds()).isNotEmpty().allSatisfy((id, n) -> assertThat(n).as(id).isOne());

    compactorMoved.get(CATCH_UP.toSeconds(), TimeUnit.SECONDS);
    long enrichedCount = expected.values().stream().mapToLong(Long::longValue).sum();
    await("the lake to hold the raw and enriched topics exactly")
        .atMost(CATCH_UP)
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              outcome.assertLanded(TopicNames.ACCESS_LOGS_RAW, lines.size());
              outcome.assertLanded(TopicNames.ACCESS_LOGS_ENRICHED, enrichedCount);
            });
    log.recovered("lake caught up", "replays done");

    SortedMap<Instant, Long> hours = outcome.enrichedHours();
    await("both serving instances to answer the direct count")
        .atMost(CATCH_UP)
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              for (int i = 0; i < 2; i++) {
                String api = fleet.serve(i).api();
                assertThat(outcome.servedHours(api, new TreeSet<>(hours.keySet())))
                    .as("serve-%d, hour by hour", i + 1)
                    .isEqualTo(hours);
                assertThat(outcome.servedTotal(api, SAMPLE_FROM, SAMPLE_TO))
                    .as("serve-%d, the whole range", i + 1)
                    .isEqualTo(enrichedCount);
              }
            });
    log.recovered("serving equal on both instances", "replays done");
    log.note(
        "layers of the answer",
        ": " + outcome.servedSources(fleet.serve(1).api(), SAMPLE_FROM, SAMPLE_TO));
    return enrichedCount;
  }

  /** Waits until the raw topic's end offsets reach {@code share} of {@code lines}. */
  private static void atShare(Admin admin, int lines, double share) {
    long target = Math.round(lines * share);
    await("raw topic at " + Math.round(share * 100) + "% of the sample")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> rawEnd(admin) >= target);
  }

  private static long rawEnd(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> latest =
        admin
            .describeTopics(List.of(TopicNames.ACCESS_LOGS_RAW))
            .allTopicNames()
            .get()
            .get(TopicNames.ACCESS_LOGS_RAW)
            .partitions()
            .stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    p -> new TopicPartition(TopicNames.ACCESS_LOGS_RAW, p.partition()),
                    p -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
  }
}
