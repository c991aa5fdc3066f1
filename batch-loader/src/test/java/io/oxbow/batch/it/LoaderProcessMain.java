package io.oxbow.batch.it;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.Lander;
import io.oxbow.batch.landing.LandingSettings;
import io.oxbow.batch.landing.RegistryDecoder;
import io.oxbow.batch.landing.RollPolicy;
import io.oxbow.lake.LocalLakeStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * A loader process for {@link LoaderKillIT}: lands one topic into a lake until it is killed. A
 * static group member (fixed {@code group.instance.id}), so a restarted process takes over the
 * partitions at once instead of waiting for the killed one's session to expire.
 *
 * <p>Arguments: bootstrap servers, registry URL, lake directory, topic, group id, rows per file.
 */
public final class LoaderProcessMain {
  private LoaderProcessMain() {}

  /** Runs until killed. */
  public static void main(String[] args) {
    // every publish in the log: the test's log files show where each kill struck
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.oxbow.batch.landing"))
        .setLevel(ch.qos.logback.classic.Level.DEBUG);
    String topic = args[3];
    LandingSettings settings =
        new LandingSettings(
            args[0],
            args[4],
            List.of(DatasetSpec.of(topic, "event_time")),
            new RollPolicy(Long.parseLong(args[5]), 64L << 20, Duration.ofSeconds(1)),
            Duration.ofMillis(100),
            Map.of(
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                args[4] + "-static",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                10_000));
    Lander lander =
        new Lander(
            settings,
            new LocalLakeStorage(Path.of(args[2])),
            new RegistryDecoder(args[1], Map.of()),
            (record, reason, error) -> {
              throw new IllegalStateException("unexpected reject: " + reason, error);
            },
            Clock.systemUTC(),
            new SimpleMeterRegistry());
    System.out.println("loader started");
    lander.run();
  }
}
