package io.oxbow.batch.landing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the {@link Lander} needs to run.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param groupId the consumer group (one per lake)
 * @param datasets the topics to land and their event-time fields
 * @param roll when files close
 * @param pollTimeout how long one poll waits for records
 * @param consumerOverrides extra consumer properties (e.g. {@code max.poll.records})
 */
public record LandingSettings(
    String bootstrapServers,
    String groupId,
    List<DatasetSpec> datasets,
    RollPolicy roll,
    Duration pollTimeout,
    Map<String, Object> consumerOverrides) {
  /** Copies the lists. */
  public LandingSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(groupId, "groupId");
    datasets = List.copyOf(datasets);
    consumerOverrides = Map.copyOf(consumerOverrides);
    if (datasets.isEmpty()) {
      throw new IllegalArgumentException("no dataset to land");
    }
  }
}
