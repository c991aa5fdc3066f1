package io.oxbow.runtime.kafka;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.DeploymentSettings;
import io.oxbow.runtime.config.Setting;
import java.util.List;
import java.util.OptionalInt;

/**
 * The replication the deployment asks of every topic Oxbow creates: {@code
 * oxbow.replication-factor} and {@code oxbow.min-insync-replicas} (environment {@code
 * OXBOW_REPLICATION_FACTOR}, {@code OXBOW_MIN_INSYNC_REPLICAS}). Both default to {@code auto}: the
 * factor is {@code min(3, brokers)} and the minimum in-sync replicas 2 on three brokers or more, 1
 * otherwise, counted when a service starts (see {@link TopicReplication#resolve}).
 *
 * @param factor the replication factor asked for; empty: {@code auto}
 * @param minInsyncReplicas the {@code min.insync.replicas} asked for; empty: {@code auto}
 */
public record ReplicationSettings(OptionalInt factor, OptionalInt minInsyncReplicas) {
  /** {@code oxbow.replication-factor}. */
  public static final Setting<OptionalInt> REPLICATION_FACTOR =
      DeploymentSettings.REPLICATION_FACTOR;

  /** {@code oxbow.min-insync-replicas}. */
  public static final Setting<OptionalInt> MIN_INSYNC_REPLICAS =
      DeploymentSettings.MIN_INSYNC_REPLICAS;

  /** Both settings, in documentation order. */
  public static final List<Setting<?>> SETTINGS = List.of(REPLICATION_FACTOR, MIN_INSYNC_REPLICAS);

  /** Both left to the cluster's size. */
  public static final ReplicationSettings AUTOMATIC =
      new ReplicationSettings(OptionalInt.empty(), OptionalInt.empty());

  /** Checks that a minimum in-sync count asked for does not exceed a factor asked for. */
  public ReplicationSettings {
    if (factor.isPresent()
        && minInsyncReplicas.isPresent()
        && minInsyncReplicas.getAsInt() > factor.getAsInt()) {
      throw new IllegalArgumentException(
          MIN_INSYNC_REPLICAS.key()
              + " "
              + minInsyncReplicas.getAsInt()
              + " exceeds "
              + REPLICATION_FACTOR.key()
              + " "
              + factor.getAsInt()
              + ": no write could ever be acknowledged");
    }
  }

  /**
   * Reads both settings.
   *
   * @throws ConfigException naming the setting when a value does not parse, or both when the
   *     minimum in-sync count exceeds the factor
   */
  public static ReplicationSettings from(ConfigSource source) {
    try {
      return new ReplicationSettings(
          source.get(REPLICATION_FACTOR), source.get(MIN_INSYNC_REPLICAS));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
