package io.oxbow.stream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.stream.StreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the stream processor, a real separate process, with SIGKILL in the middle of a replay and
 * starts it again: with exactly_once_v2 the enriched topic (read committed) holds every expected
 * record exactly once and the speed view equals a direct count.
 */
@ExtendWith(KafkaBackendExtension.class)
class StreamCrashIT {
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path dir;

  @Test
  void shouldKeepEveryRecordExactlyOnceAcrossAKillNine(KafkaBackend kafka) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    try (SchemaRegistryServer registry =
        SchemaRegistryServer.builder(bootstrap).topic("_schemas-crash-" + id).port(0).start()) {
      String prefix = "crash-" + id + ".";
      StreamConfig.Topics topics = StreamConfig.Topics.DEFAULT.prefixed(prefix);
      List<String> args =
          List.of(
              "--bootstrap-servers",
              bootstrap,
              "--schema-registry-url",
              registry.url(),
              "--application-id",
              "crash-it-" + id,
              "--state-dir",
              dir.resolve("state").toString(),
              "--topic-prefix",
              prefix,
              // a grace longer than the sample's age: the stores' changelogs keep windows for the
              // grace, and the broker deletes older changelog segments by wall-clock time, so a
              // shorter grace would lose the sample's windows on the restore after the kill
              "--grace",
              "36500d",
              "--http-port",
              "0");
      List<RawLogLine> lines = Samples.rawLines();
      List<AccessLogEvent> expected = Samples.expectedEvents(lines);

      Process first = start(args, dir.resolve("first.log"));
      try {
        awaitRunning(first, dir.resolve("first.log"));
        Samples.produce(bootstrap, registry.url(), topics.raw(), lines);
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> enriched(bootstrap, registry.url(), topics).size() >= 1000);
      } finally {
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no close
        first.waitFor(30, TimeUnit.SECONDS);
      }
      int beforeRestart = enriched(bootstrap, registry.url(), topics).size();
      assertThat(beforeRestart).as("killed mid-replay").isLessThan(expected.size());

      Process second = start(args, dir.resolve("second.log"));
      try {
        awaitRunning(second, dir.resolve("second.log"));
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> enriched(bootstrap, registry.url(), topics).size() >= expected.size());
        List<AccessLogEvent> actual =
            enriched(bootstrap, registry.url(), topics).stream()
                .map(r -> Samples.unenriched(r.value()))
                .toList();
        assertThat(Samples.countBy(actual, e -> e)).isEqualTo(Samples.countBy(expected, e -> e));

        Map<Long, Long> direct =
            Samples.countBy(expected, e -> e.getEventTime().toEpochMilli() / 60_000 * 60_000);
        await()
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () ->
                    assertThat(trafficPerMinute(bootstrap, registry.url(), topics))
                        .isEqualTo(direct));
      } finally {
        second.destroy();
        if (!second.waitFor(40, TimeUnit.SECONDS)) {
          second.destroyForcibly();
        }
      }
    }
  }

  static Process start(List<String> args, Path log) throws IOException {
    String classpath = System.getProperty("stream.process.classpath");
    assertThat(classpath).as("stream.process.classpath (set by failsafe in the pom)").isNotBlank();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-Djava.io.tmpdir=" + log.getParent());
    command.add("-cp");
    command.add(classpath);
    command.add("io.oxbow.stream.StreamMain");
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  static void awaitRunning(Process process, Path log) {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "the stream processor exited with "
                        + process.exitValue()
                        + ":\n"
                        + Files.readString(log));
              }
              return Files.exists(log) && Files.readString(log).contains("stream: RUNNING");
            });
  }

  private static List<ConsumerRecord<byte[], AccessLogEvent>> enriched(
      String bootstrap, String registryUrl, StreamConfig.Topics topics) {
    try (AvroSerde<AccessLogEvent> serde =
        AvroSerde.specific(Map.of("schema.registry.url", registryUrl), false)) {
      return Samples.readAll(bootstrap, topics.enriched(), serde.deserializer());
    }
  }

  private static Map<Long, Long> trafficPerMinute(
      String bootstrap, String registryUrl, StreamConfig.Topics topics) {
    Map<String, ViewAggregate> latest = new HashMap<>();
    try (AvroSerde<ViewAggregate> serde =
        AvroSerde.specific(Map.of("schema.registry.url", registryUrl), false)) {
      for (ConsumerRecord<byte[], ViewAggregate> r :
          Samples.readAll(bootstrap, topics.speedView("traffic"), serde.deserializer())) {
        latest.put(HexFormat.of().formatHex(r.key()), r.value());
      }
    }
    Map<Long, Long> perMinute = new HashMap<>();
    latest
        .values()
        .forEach(
            a -> perMinute.merge(a.getWindowStart().toEpochMilli(), a.getRecords(), Long::sum));
    return perMinute;
  }
}
