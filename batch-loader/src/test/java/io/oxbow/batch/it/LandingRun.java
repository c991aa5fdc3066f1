package io.oxbow.batch.it;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.Lander;
import io.oxbow.batch.landing.LandingSettings;
import io.oxbow.batch.landing.RegistryDecoder;
import io.oxbow.batch.landing.RollPolicy;
import io.oxbow.lake.LakeStorage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A {@link Lander} on its own thread for an IT; {@link #close()} stops it. */
final class LandingRun implements AutoCloseable {
  private static final java.util.concurrent.atomic.AtomicInteger RUNS =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Lander lander;
  private final Thread thread;

  LandingRun(
      String bootstrap,
      String registry,
      String group,
      LakeStorage storage,
      DatasetSpec spec,
      long rows) {
    lander =
        new Lander(
            new LandingSettings(
                bootstrap,
                group,
                List.of(spec),
                new RollPolicy(rows, 64L << 20, Duration.ofSeconds(1)),
                Duration.ofMillis(100),
                Map.of()),
            storage,
            new RegistryDecoder(registry, Map.of()),
            (r, reason, e) -> {
              throw new AssertionError("unexpected reject: " + reason, e);
            },
            Clock.systemUTC(),
            new SimpleMeterRegistry());
    thread = new Thread(lander, "lander-" + group + "-" + RUNS.incrementAndGet());
    thread.start();
  }

  /** Waits until the manifests cover the topic's end offsets. */
  static void awaitLanded(LakeStorage storage, DatasetSpec spec, String bootstrap, int partitions)
      throws Exception {
    Map<Integer, Long> ends = Topics.endOffsets(bootstrap, spec.topic(), partitions);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> LakeChecks.committedUpTo(storage, spec.dataset(), spec.topic(), ends));
  }

  /** How many of the topic's first {@code partitions} partitions this run lands now. */
  int owned(String topic, int partitions) {
    int owned = 0;
    for (int p = 0; p < partitions; p++) {
      owned += lander.owns(topic, p) ? 1 : 0;
    }
    return owned;
  }

  @Override
  public void close() throws InterruptedException {
    lander.close();
    thread.join(10_000);
  }
}
