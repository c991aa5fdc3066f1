package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.server.SchemaRegistryServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kills real loader processes with SIGKILL at random points while records keep arriving, then
 * checks that the landed files tile every partition's offsets exactly (no duplicate, no gap) and
 * DuckDB counts every record once.
 */
@ExtendWith(KafkaBackendExtension.class)
class LoaderKillIT {
  private static final int KILLS = 20;
  private static final int PARTITIONS = 3;
  private static final Schema HIT =
      SchemaBuilder.record("Hit")
          .namespace("io.oxbow.test")
          .fields()
          .requiredLong("id")
          .name("event_time")
          .type(
              org.apache.avro.LogicalTypes.timestampMillis()
                  .addToSchema(Schema.create(Schema.Type.LONG)))
          .noDefault()
          .requiredString("path")
          .endRecord();

  @Test
  void shouldLeaveNoDuplicateAndNoGapWhenTheLoaderIsKilledAtRandomPoints(KafkaBackend kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String topic = "hits-kill-it";
    DatasetSpec spec = DatasetSpec.of(topic, "event_time");
    Path lake = Files.createTempDirectory(Path.of("target"), "kill-it-lake");
    Topics.create(bootstrap, topic, PARTITIONS);
    Random random = new Random(42);
    AtomicInteger produced = new AtomicInteger();
    // the registry's storage topic exists up front: its start then never races topic metadata
    Topics.createCompacted(bootstrap, "_schemas-kill-it");
    try (SchemaRegistryServer registry =
        SchemaRegistryServer.builder(bootstrap).topic("_schemas-kill-it").port(0).start()) {
      produceBatch(bootstrap, registry.url(), topic, produced, 3000);
      LocalLakeStorage storage = new LocalLakeStorage(lake);
      int killedWhileLanding = 0;
      long committed = 0;
      for (int kill = 0; kill < KILLS; kill++) {
        Path log = logOf(kill);
        Process loader = startLoader(bootstrap, registry.url(), lake, topic, kill);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> Files.exists(log) && Files.readString(log).contains("landing ["));
        // records keep arriving while loaders come and go
        produceBatch(bootstrap, registry.url(), topic, produced, 600);
        long runMillis = 200 + random.nextInt(1600);
        assertThat(loader.waitFor(runMillis, TimeUnit.MILLISECONDS))
            .as("loader %d must still run when it is killed", kill)
            .isFalse();
        loader.destroyForcibly().waitFor();
        long now = LakeChecks.committedOffsets(storage, spec.dataset(), topic, PARTITIONS);
        if (now > committed) {
          killedWhileLanding++;
        }
        committed = now;
      }
      // the kills hit loaders that were committing work, not idle or still starting ones
      assertThat(killedWhileLanding).isGreaterThanOrEqualTo(KILLS / 4);
      Process last = startLoader(bootstrap, registry.url(), lake, topic, KILLS);
      try {
        Map<Integer, Long> ends = Topics.endOffsets(bootstrap, topic, PARTITIONS);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> LakeChecks.committedUpTo(storage, spec.dataset(), topic, ends));
        LakeChecks.assertTiled(storage, spec.dataset(), topic, ends);
      } finally {
        last.destroyForcibly().waitFor();
      }
    }
    String glob = LakeChecks.glob(lake.toAbsolutePath(), spec.dataset());
    assertThat(LakeChecks.duckLong("select count(*) from read_parquet('" + glob + "')"))
        .isEqualTo(produced.get());
    assertThat(LakeChecks.duckLong("select count(distinct id) from read_parquet('" + glob + "')"))
        .isEqualTo(produced.get());
  }

  private static void produceBatch(
      String bootstrap, String registry, String topic, AtomicInteger produced, int count)
      throws Exception {
    List<GenericRecord> records = new ArrayList<>();
    long base = java.time.Instant.parse("2015-05-17T10:00:00Z").toEpochMilli();
    for (int i = 0; i < count; i++) {
      int id = produced.getAndIncrement();
      GenericRecord r = new GenericData.Record(HIT);
      r.put("id", (long) id);
      // ~1.5 hours of events per 10,000 records: files roll on hour boundaries too
      r.put("event_time", base + id * 500L);
      r.put("path", "/page/" + (id % 97));
      records.add(r);
    }
    Topics.produce(bootstrap, registry, topic, records, v -> String.valueOf(v.hashCode()));
  }

  private static Path logOf(int run) {
    return Path.of("target", "kill-it-loader-" + run + ".log");
  }

  private static Process startLoader(
      String bootstrap, String registry, Path lake, String topic, int run) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File log = logOf(run).toFile();
    return new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-Xshare:auto",
            "-Djava.io.tmpdir=" + Path.of("target").toAbsolutePath(),
            "-cp",
            System.getProperty("java.class.path"),
            LoaderProcessMain.class.getName(),
            bootstrap,
            registry,
            lake.toAbsolutePath().toString(),
            topic,
            "kill-it",
            "150")
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }
}
