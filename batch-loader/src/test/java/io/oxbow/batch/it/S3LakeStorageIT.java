package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.batch.landing.Recovery;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.S3LakeStorage;
import io.oxbow.localkafka.S3rver;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lake in S3-compatible storage (s3rver): the storage contract, recovery and landing. */
@ExtendWith(KafkaBackendExtension.class)
class S3LakeStorageIT {
  private static S3rver s3rver;

  @BeforeAll
  static void startS3() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        S3rver.available(), "Node.js and npm are not installed: S3 test skipped");
    s3rver = S3rver.start("lake");
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3rver != null) {
      s3rver.close();
    }
  }

  private static LakeStorage storage(String prefix) throws Exception {
    return new S3LakeStorage(
        S3LakeStorage.client(URI.create(s3rver.endpoint()), "us-east-1", true, "S3RVER", "S3RVER"),
        "lake",
        prefix,
        Files.createTempDirectory(Path.of("target"), "s3-staging"));
  }

  @Test
  void shouldPublishReadListAndDeleteObjects() throws Exception {
    try (LakeStorage lake = storage("contract")) {
      Path staged = lake.stagingDir().resolve("a.bin");
      Files.writeString(staged, "rows");
      lake.publish(staged, "ds/dt=2015-05-17/hour=10/t+0+0-9.parquet");
      lake.putAtomic("ds/_manifest/t+0.json", "{}".getBytes(StandardCharsets.UTF_8));

      assertThat(Files.exists(staged)).as("publishing consumes the staged file").isFalse();
      assertThat(lake.list("ds"))
          .containsExactly("ds/_manifest/t+0.json", "ds/dt=2015-05-17/hour=10/t+0+0-9.parquet");
      try (LakeStorage.LocalCopy copy =
          lake.localCopy("ds/dt=2015-05-17/hour=10/t+0+0-9.parquet")) {
        assertThat(Files.readString(copy.path())).isEqualTo("rows");
      }
      assertThat(lake.read("ds/missing.json")).isEmpty();
      lake.delete("ds/_manifest/t+0.json");
      assertThat(lake.list("ds")).hasSize(1);
      assertThat(lake.location()).isEqualTo("s3://lake/contract/");
    }
  }

  @Test
  void shouldAdoptAFilePublishedBeforeTheManifestCommit() throws Exception {
    try (LakeStorage lake = storage("recovery")) {
      ManifestStore manifests = new ManifestStore(lake);
      manifests.write("hits", new PartitionManifest("hits", 0, 10, 0, 0, false, 0));
      lake.putAtomic(new LandedFile("hits", "hits", 0, 10, 19, 0).key(), new byte[] {1});

      PartitionManifest recovered =
          Recovery.recover(
              lake, manifests, DatasetSpec.of("hits", "event_time"), 0, lake.list("hits"));

      assertThat(recovered.nextOffset()).isEqualTo(20);
      assertThat(manifests.read("hits", "hits", 0)).contains(recovered);
    }
  }

  @Test
  void shouldLandATopicIntoS3(KafkaBackend kafka) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String topic = "access-logs.enriched-s3-it";
    String registry = "mock://s3-it";
    DatasetSpec spec = DatasetSpec.of(topic, "event_time");
    Topics.create(bootstrap, topic, 2);
    List<AccessLogEvent> events = SampleEvents.load(800);
    Topics.produce(bootstrap, registry, topic, events, v -> ((AccessLogEvent) v).getClient());
    try (LakeStorage lake = storage("landing")) {
      try (LandingRun run = new LandingRun(bootstrap, registry, "s3-it", lake, spec, 300)) {
        LandingRun.awaitLanded(lake, spec, bootstrap, 2);
      }
      Map<Integer, Long> ends = Topics.endOffsets(bootstrap, topic, 2);
      LakeChecks.assertTiled(lake, spec.dataset(), topic, ends);
      long rows = 0;
      for (String key : lake.list(spec.dataset())) {
        if (key.endsWith(".parquet")) {
          try (LakeStorage.LocalCopy copy = lake.localCopy(key)) {
            rows += ParquetFiles.readAll(copy.path()).size();
          }
        }
      }
      assertThat(rows).isEqualTo(events.size());
    }
  }
}
