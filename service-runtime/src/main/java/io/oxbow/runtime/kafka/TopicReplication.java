package io.oxbow.runtime.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication of every topic Oxbow creates, resolved once at a service's start from {@link
 * ReplicationSettings} and the cluster's size: the factor asked for, else {@code min(3, brokers)};
 * the {@code min.insync.replicas} asked for, else 2 on three brokers or more and 1 otherwise.
 *
 * <p>{@link #createMissing} creates the topics a service needs with that replication and warns
 * (WARN, naming the topic, the actual and the wanted value) about each existing topic replicated
 * less than this (a client not allowed to describe the topics gets a WARN saying so, and starts);
 * existing topics are never changed, since reassigning replicas is an operator's decision (see
 * docs/operations.md). {@link #streamsConfig} gives Kafka Streams the same for its changelog and
 * repartition topics.
 *
 * @param factor replication factor of created topics
 * @param minInsyncReplicas {@code min.insync.replicas} of created topics
 */
public record TopicReplication(short factor, int minInsyncReplicas) {
  private static final Logger log = LoggerFactory.getLogger(TopicReplication.class);

  /** Checks the two values against each other. */
  public TopicReplication {
    if (factor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > factor) {
      throw new IllegalArgumentException(
          "replication factor "
              + factor
              + " with min.insync.replicas "
              + minInsyncReplicas
              + ": both must be at least 1, and the minimum at most the factor");
    }
  }

  /**
   * The replication for a cluster of {@code brokers} brokers: what {@code requested} asks, with
   * each {@code auto} value derived from the cluster's size. Pure.
   *
   * @throws IllegalArgumentException when the result is inconsistent (an explicit minimum above an
   *     automatic factor, say 2 on a one-broker cluster)
   */
  public static TopicReplication resolve(ReplicationSettings requested, int brokers) {
    int known = Math.max(1, brokers);
    int factor = requested.factor().orElse(Math.min(3, known));
    int minIsr = requested.minInsyncReplicas().orElse(known >= 3 && factor >= 2 ? 2 : 1);
    if (minIsr > factor) {
      throw new IllegalArgumentException(
          ReplicationSettings.MIN_INSYNC_REPLICAS.key()
              + " "
              + minIsr
              + " exceeds the replication factor "
              + factor
              + " on "
              + brokers
              + " broker(s)");
    }
    return new TopicReplication((short) factor, minIsr);
  }

  /**
   * Counts the brokers of the cluster behind {@code admin} ({@code describeCluster}) and resolves
   * {@code requested} for it.
   *
   * @throws IllegalStateException when the cluster does not answer within {@code timeout}
   */
  public static TopicReplication discover(
      Admin admin, ReplicationSettings requested, Duration timeout) {
    int brokers = get(admin.describeCluster().nodes(), timeout, "count the brokers").size();
    TopicReplication r = resolve(requested, brokers);
    log.info(
        "{} broker(s): topics are created with replication factor {}, min.insync.replicas {}",
        brokers,
        r.factor,
        r.minInsyncReplicas);
    return r;
  }

  /**
   * {@code wanted} with this replication: its partitions and configs, this factor, and {@code
   * min.insync.replicas} (a {@code min.insync.replicas} in {@code wanted}'s configs is replaced).
   */
  public NewTopic apply(NewTopic wanted) {
    Map<String, String> configs = new HashMap<>();
    if (wanted.configs() != null) {
      configs.putAll(wanted.configs());
    }
    configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas));
    return new NewTopic(wanted.name(), wanted.numPartitions(), factor).configs(configs);
  }

  /**
   * The Kafka Streams settings that give its internal topics (changelogs, repartition topics) this
   * replication: {@code replication.factor} and {@code topic.min.insync.replicas}.
   */
  public Map<String, Object> streamsConfig() {
    // the keys of StreamsConfig.REPLICATION_FACTOR_CONFIG and StreamsConfig.topicPrefix(...),
    // spelled out so that services without Kafka Streams need not depend on it
    return Map.of(
        "replication.factor",
        (int) factor,
        "topic." + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
        String.valueOf(minInsyncReplicas));
  }

  /**
   * Creates those of {@code wanted} that do not exist with this replication (see {@link #apply}),
   * and warns about each existing one replicated less than this. A topic created meanwhile by
   * another instance counts as existing. Returns once the topics created here or meanwhile take
   * writes ({@link TopicReadiness}).
   *
   * @param admin a client of the cluster
   * @param wanted the topics with their partitions and configs (their replication is ignored)
   * @param timeout bound of each admin call
   * @return the names of the topics this call created
   * @throws IllegalStateException when a topic cannot be created or the cluster does not answer
   */
  public Set<String> createMissing(Admin admin, Collection<NewTopic> wanted, Duration timeout) {
    Set<String> existing = get(admin.listTopics().names(), timeout, "list the topics");
    List<NewTopic> missing = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (NewTopic t : wanted) {
      if (existing.contains(t.name())) {
        present.add(t.name());
      } else {
        missing.add(apply(t));
      }
    }
    Set<String> created = new LinkedHashSet<>();
    Set<String> fresh = new LinkedHashSet<>();
    if (!missing.isEmpty()) {
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          created.add(entry.getKey());
          fresh.add(entry.getKey());
          log.info(
              "created topic {} (replication factor {}, min.insync.replicas {})",
              entry.getKey(),
              factor,
              minInsyncReplicas);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
          }
          present.add(entry.getKey());
          fresh.add(entry.getKey());
        } catch (TimeoutException e) {
          throw new IllegalStateException(
              "cannot create topic " + entry.getKey() + " within " + timeout, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while creating " + entry.getKey(), e);
        }
      }
    }
    // created here or, a moment ago, by another instance: either may not take writes yet
    TopicReadiness.await(admin, fresh, timeout);
    try {
      warnUnderReplicated(admin, present, timeout);
    } catch (IllegalStateException e) {
      // a check only: a client without DescribeConfigs on the topics must still start
      log.warn("cannot check the replication of existing topics {}: {}", present, e.getMessage());
    }
    return created;
  }

  /**
   * Logs a WARN for each of {@code topics} replicated less than this and returns the warnings.
   *
   * @return one line per shortfall, e.g. {@code topic access-logs.raw has replication factor 1,
   *     wanted 3}
   */
  public List<String> warnUnderReplicated(
      Admin admin, Collection<String> topics, Duration timeout) {
    if (topics.isEmpty()) {
      return List.of();
    }
    Map<String, TopicDescription> descriptions =
        get(admin.describeTopics(topics).allTopicNames(), timeout, "describe the topics");
    Map<ConfigResource, Config> configs =
        get(
            admin
                .describeConfigs(
                    topics.stream()
                        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                        .toList())
                .all(),
            timeout,
            "describe the topic configs");
    Map<String, Config> byTopic =
        configs.entrySet().stream()
            .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    List<String> warnings = new ArrayList<>();
    for (String topic : topics) {
      int actualFactor =
          descriptions.get(topic).partitions().stream()
              .mapToInt(p -> p.replicas().size())
              .min()
              .orElse(0);
      ConfigEntry minIsr = byTopic.get(topic).get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
      int actualMinIsr = minIsr == null ? 1 : Integer.parseInt(minIsr.value());
      warnings.addAll(shortfalls(topic, actualFactor, actualMinIsr));
    }
    warnings.forEach(w -> log.warn("{}; existing topics are left as they are", w));
    return warnings;
  }

  /** The ways a topic with {@code actualFactor} and {@code actualMinIsr} falls short. Pure. */
  public List<String> shortfalls(String topic, int actualFactor, int actualMinIsr) {
    List<String> out = new ArrayList<>();
    if (actualFactor < factor) {
      out.add("topic " + topic + " has replication factor " + actualFactor + ", wanted " + factor);
    }
    if (actualMinIsr < minInsyncReplicas) {
      out.add(
          "topic "
              + topic
              + " has min.insync.replicas "
              + actualMinIsr
              + ", wanted "
              + minInsyncReplicas);
    }
    return out;
  }

  private static <T> T get(
      org.apache.kafka.common.KafkaFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot " + what + " within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }
}
