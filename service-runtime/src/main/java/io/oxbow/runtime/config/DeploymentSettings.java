package io.oxbow.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * The settings of a whole deployment, read by every service that needs them: one {@code
 * oxbow.bootstrap-servers} instead of one per service. Their environment variables drop the {@code
 * oxbow.} ({@code OXBOW_BOOTSTRAP_SERVERS}, {@code OXBOW_SCHEMA_REGISTRY_URL}, {@code
 * OXBOW_LAKE_DIR}, {@code OXBOW_DLQ_TOPIC}, {@code OXBOW_VIEWS_FILE}, {@code
 * OXBOW_REPLICATION_FACTOR}, {@code OXBOW_MIN_INSYNC_REPLICAS}, {@code OXBOW_VISIT_TIMEOUT}, {@code
 * OXBOW_VISIT_MAX_PAGE_VIEWS_PER_MINUTE}).
 *
 * <p>A service's own key, where it has one ({@code ingest.bootstrap-servers}, {@code
 * batch.lake-dir}, ...), overrides the deployment-wide value for that service alone (see {@link
 * Setting#withFallback}); where it has none, the service reads these keys directly.
 */
public final class DeploymentSettings {
  /** {@code oxbow.bootstrap-servers}: the Kafka cluster of every service. */
  public static final Setting<String> BOOTSTRAP_SERVERS =
      Setting.string(
          "oxbow.bootstrap-servers",
          Setting.DEFAULT_BOOTSTRAP_SERVERS,
          "Kafka bootstrap servers of every service.");

  /** {@code oxbow.schema-registry-url}: the schema registry of every service. */
  public static final Setting<String> SCHEMA_REGISTRY_URL =
      Setting.string(
          "oxbow.schema-registry-url",
          Setting.DEFAULT_SCHEMA_REGISTRY_URL,
          "Schema registry URL of every service (mock://scope for an in-memory registry).");

  /** {@code oxbow.lake-dir}: the Parquet lake the batch loader writes and the serving API reads. */
  public static final Setting<Path> LAKE_DIR =
      Setting.path(
          "oxbow.lake-dir",
          "./data/lake",
          "Root directory of the Parquet lake (batch loader and serving API).");

  /**
   * {@code oxbow.dlq-topic}: the dead-letter topic the stream processor and the batch loader write
   * and the serving API shows (default {@code access-logs.dlq}, the contract's name).
   */
  public static final Setting<String> DLQ_TOPIC =
      Setting.string(
          "oxbow.dlq-topic",
          "access-logs.dlq",
          "Dead-letter topic written by the stream processor and the batch loader, shown by the"
              + " serving API.");

  /**
   * {@code oxbow.views-file}: the view definitions added to the defaults, the same for the speed
   * layer, the batch layer and the serving API (none: the default views only).
   */
  public static final Setting<Path> VIEWS_FILE =
      Setting.path(
          "oxbow.views-file",
          null,
          "Views file extending the default views, read by stream, batch and serve alike.");

  /**
   * {@code oxbow.replication-factor}: the replication factor of every topic Oxbow creates ({@code
   * auto}, the default, is empty: {@code min(3, brokers)}, see {@code
   * io.oxbow.runtime.kafka.TopicReplication}).
   */
  public static final Setting<OptionalInt> REPLICATION_FACTOR =
      Setting.countOrAuto(
          "oxbow.replication-factor",
          "Replication factor of every topic Oxbow creates, Streams internal topics included"
              + " (auto: min(3, brokers)).");

  /**
   * {@code oxbow.min-insync-replicas}: the {@code min.insync.replicas} of every topic Oxbow creates
   * ({@code auto}, the default, is empty: 2 on three brokers or more, else 1).
   */
  public static final Setting<OptionalInt> MIN_INSYNC_REPLICAS =
      Setting.countOrAuto(
          "oxbow.min-insync-replicas",
          "min.insync.replicas of every topic Oxbow creates (auto: 2 on 3 brokers or more, else"
              + " 1).");

  /**
   * {@code oxbow.topic-retention}: how long the raw, orders, enriched, attributed and dead-letter
   * topics keep a record after it was written (default 7d); see {@code
   * io.oxbow.runtime.kafka.TopicRetention}.
   */
  public static final Setting<java.time.Duration> TOPIC_RETENTION =
      Setting.duration(
          "oxbow.topic-retention",
          "7d",
          "How long the raw, orders, enriched, attributed and dead-letter topics keep a record"
              + " after it was written (at least the landing lag; --recompute reads the lake).");

  /**
   * {@code oxbow.visit-timeout}: the inactivity timeout that ends a visit, the same for the stream
   * processor's session windows and the batch loader's sessionization (default 30m).
   */
  public static final Setting<Duration> VISIT_TIMEOUT =
      Setting.duration(
          "oxbow.visit-timeout",
          "30m",
          "A visitor's page view this long or less after the last one continues the visit (stream"
              + " and batch alike).");

  /**
   * {@code oxbow.visit-max-page-views-per-minute}: a visit with more page views than this per
   * started minute of its duration is flagged with the bot reason {@code page-rate} (default 30; 0
   * turns the rule off).
   */
  public static final Setting<Integer> VISIT_MAX_PAGE_VIEWS_PER_MINUTE =
      Setting.integer(
          "oxbow.visit-max-page-views-per-minute",
          30,
          0,
          1_000_000,
          "Visits with more page views than this per started minute of their duration get"
              + " bot_reason page-rate (0: off).");

  /** Every deployment-wide setting, in documentation order. */
  public static final List<Setting<?>> ALL =
      List.of(
          BOOTSTRAP_SERVERS,
          SCHEMA_REGISTRY_URL,
          LAKE_DIR,
          DLQ_TOPIC,
          VIEWS_FILE,
          REPLICATION_FACTOR,
          MIN_INSYNC_REPLICAS,
          TOPIC_RETENTION,
          VISIT_TIMEOUT,
          VISIT_MAX_PAGE_VIEWS_PER_MINUTE);

  private DeploymentSettings() {}
}
