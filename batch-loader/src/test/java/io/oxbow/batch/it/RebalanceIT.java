package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Loaders join and leave the group while records arrive: no duplicate, no gap. */
@ExtendWith(KafkaBackendExtension.class)
class RebalanceIT {
  private static final String REGISTRY = "mock://rebalance-it";

  @TempDir Path lake;

  @Test
  void shouldHandPartitionsOverWithoutDuplicatesOrGaps(KafkaBackend kafka) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String topic = "access-logs.enriched-rebalance-it";
    DatasetSpec spec = DatasetSpec.of(topic, "event_time");
    Topics.create(bootstrap, topic, 4);
    List<AccessLogEvent> events = SampleEvents.load(3000);
    LocalLakeStorage storage = new LocalLakeStorage(lake);

    Topics.produce(bootstrap, REGISTRY, topic, events.subList(0, 1000), RebalanceIT::key);
    LandingRun first = new LandingRun(bootstrap, REGISTRY, "rebalance-it", storage, spec, 70);
    try (LandingRun second =
        new LandingRun(bootstrap, REGISTRY, "rebalance-it", storage, spec, 70)) {
      Topics.produce(bootstrap, REGISTRY, topic, events.subList(1000, 2000), RebalanceIT::key);
      first.close();
      Topics.produce(bootstrap, REGISTRY, topic, events.subList(2000, 3000), RebalanceIT::key);
      LandingRun.awaitLanded(storage, spec, bootstrap, 4);
    }

    LakeChecks.assertTiled(storage, spec.dataset(), topic, Topics.endOffsets(bootstrap, topic, 4));
    assertThat(
            LakeChecks.duckLong(
                "select count(*) from read_parquet('"
                    + LakeChecks.glob(lake, spec.dataset())
                    + "')"))
        .isEqualTo(events.size());
  }

  private static String key(Object event) {
    return ((AccessLogEvent) event).getClient();
  }
}
