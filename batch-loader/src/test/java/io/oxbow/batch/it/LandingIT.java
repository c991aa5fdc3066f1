package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.Lander;
import io.oxbow.batch.landing.LandingSettings;
import io.oxbow.batch.landing.RegistryDecoder;
import io.oxbow.batch.landing.RollPolicy;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBackendExtension.class)
class LandingIT {
  private static final String REGISTRY = "mock://landing-it";

  @TempDir Path lake;

  @Test
  void shouldLandTheReplayedSampleSoDuckDbCountsEveryRecordOnce(KafkaBackend kafka)
      throws Exception {
    String topic = "access-logs.enriched-landing-it";
    DatasetSpec spec = DatasetSpec.of(topic, "event_time");
    Topics.create(kafka.bootstrapServers(), topic, 3);
    List<AccessLogEvent> events = SampleEvents.load(4000);
    Topics.produce(
        kafka.bootstrapServers(), REGISTRY, topic, events, v -> ((AccessLogEvent) v).getClient());
    Map<Integer, Long> ends = Topics.endOffsets(kafka.bootstrapServers(), topic, 3);

    LocalLakeStorage storage = new LocalLakeStorage(lake);
    LandingSettings settings =
        new LandingSettings(
            kafka.bootstrapServers(),
            "landing-it",
            List.of(spec),
            new RollPolicy(500, 64L << 20, Duration.ofSeconds(2)),
            Duration.ofMillis(100),
            Map.of());
    try (Lander lander =
        new Lander(
            settings,
            storage,
            new RegistryDecoder(REGISTRY, Map.of()),
            (r, reason, e) -> {
              throw new AssertionError("no record of the sample is bad: " + reason, e);
            },
            Clock.systemUTC(),
            new SimpleMeterRegistry())) {
      Thread thread = new Thread(lander, "lander");
      thread.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> LakeChecks.committedUpTo(storage, spec.dataset(), topic, ends));
      lander.close();
      thread.join(10_000);
    }

    LakeChecks.assertTiled(storage, spec.dataset(), topic, ends);
    String glob = LakeChecks.glob(lake, spec.dataset());
    assertThat(
            LakeChecks.duckLong(
                "select count(*) from read_parquet('" + glob + "', hive_partitioning=true)"))
        .isEqualTo(events.size());
    // each row sits in the folder of its event hour (UTC), which DuckDB reads back as columns
    assertThat(
            LakeChecks.duckLong(
                "select count(*) from read_parquet('"
                    + glob
                    + "', hive_partitioning=true, hive_types={'hour':'INTEGER'})"
                    + " where strftime(event_time, '%Y-%m-%d') <> cast(dt as varchar)"
                    + " or hour(event_time) <> hour"))
        .isZero();
    Map<Long, Long> perHour =
        new TreeMap<>(
            events.stream()
                .collect(
                    Collectors.groupingBy(
                        e -> LandedFile.hourOf(e.getEventTime().toEpochMilli()),
                        Collectors.counting())));
    assertThat(perHour).hasSizeGreaterThan(3);
  }
}
