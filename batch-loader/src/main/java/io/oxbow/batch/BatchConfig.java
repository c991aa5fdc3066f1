package io.oxbow.batch;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.RollPolicy;
import io.oxbow.batch.retention.RetentionSettings;
import io.oxbow.batch.upstream.UpstreamSettings;
import io.oxbow.lake.LakeLocation;
import io.oxbow.lake.LakeSettings;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.DeploymentSettings;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import io.oxbow.views.visit.VisitRules;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The batch loader's configuration, read once at the edge from a {@link ConfigSource} (flags,
 * {@code OXBOW_BATCH_*} environment variables, a properties file, then these defaults). Every
 * setting is a constant below; {@link #SETTINGS} lists them in documentation order.
 *
 * <p>The Kafka cluster, registry, lake, dead-letter topic and views file are deployment-wide
 * ({@code oxbow.bootstrap-servers}, ... in {@link DeploymentSettings}); each {@code batch.*} key
 * below, when set, overrides its deployment-wide key for the batch loader alone.
 *
 * @param bootstrapServers Kafka bootstrap servers ({@code batch.bootstrap-servers})
 * @param schemaRegistryUrl schema registry URL ({@code batch.schema-registry-url})
 * @param lake the lake: a local root ({@code batch.lake-dir}, default {@code ./data/lake}), or
 *     {@code s3://bucket/prefix} ({@code batch.lake-uri}) with how to reach S3 ({@code
 *     batch.s3-endpoint}, {@code batch.s3-region}, ...; see {@link LakeSettings})
 * @param groupId consumer group of the loader ({@code batch.group-id})
 * @param datasets topics to land with their event-time fields ({@code batch.datasets})
 * @param roll file roll limits ({@code batch.flush-rows}, {@code batch.flush-bytes}, {@code
 *     batch.rotate-interval})
 * @param allowedLateness how long after an hour ends it stays open ({@code batch.allowed-lateness})
 * @param idleTimeout after this long without records a caught-up partition no longer holds the
 *     watermark back, unless its upstream still lags ({@code batch.idle-timeout})
 * @param upstream the stage that writes the landed topics: its consumer group and, per landed
 *     topic, its inputs ({@code batch.upstream-group-id}, {@code batch.upstream-topics})
 * @param compactionInterval how often closed hours are compacted ({@code
 *     batch.compaction-interval}; 0 turns compaction off)
 * @param viewsFile a views file extending the default views ({@code batch.views-file}, else {@code
 *     oxbow.views-file}; none: the defaults)
 * @param dlqTopic where records that cannot be landed go ({@code batch.dlq-topic}, else {@code
 *     oxbow.dlq-topic}, default {@code access-logs.dlq})
 * @param httpPort port of the health and metrics endpoints ({@code batch.http-port})
 * @param kafkaSecurity security of every Kafka client: the landing consumer, the DLQ producer and
 *     the admin client ({@code kafka.client-config} and {@code kafka.client.*}, default none)
 * @param speedTopicPrefix prefix of the speed topics ({@code batch.speed-topic-prefix}, default
 *     views.speed.)
 * @param speedCleanupMargin speed windows ending this long before the published watermark get
 *     tombstones ({@code batch.speed-cleanup-margin}, default 2h; zero: no clean-up)
 * @param retention what retention keeps ({@code batch.retention.*}, see {@link RetentionSettings})
 * @param visits what makes a visit, shared with the stream processor: the inactivity timeout
 *     ({@code oxbow.visit-timeout}, default 30m) and the page-rate bot rule ({@code
 *     oxbow.visit-max-page-views-per-minute}, default 30)
 */
public record BatchConfig(
    String bootstrapServers,
    String schemaRegistryUrl,
    LakeLocation lake,
    String groupId,
    List<DatasetSpec> datasets,
    RollPolicy roll,
    Duration allowedLateness,
    Duration idleTimeout,
    UpstreamSettings upstream,
    Duration compactionInterval,
    Optional<Path> viewsFile,
    String dlqTopic,
    int httpPort,
    KafkaClientSecurity kafkaSecurity,
    String speedTopicPrefix,
    Duration speedCleanupMargin,
    RetentionSettings retention,
    VisitRules visits) {

  /** {@code batch.bootstrap-servers}. */
  public static final Setting<String> BOOTSTRAP_SERVERS = Setting.bootstrapServers("batch");

  /** {@code batch.schema-registry-url}. */
  public static final Setting<String> SCHEMA_REGISTRY_URL = Setting.schemaRegistryUrl("batch");

  /**
   * The lake: {@code batch.lake-dir}, {@code batch.lake-uri} and the S3 settings ({@code
   * batch.s3-endpoint}, ...), defined with the serving API's by the lake module.
   */
  public static final LakeSettings LAKE = LakeSettings.of("batch");

  /** {@code batch.lake-dir}. */
  public static final Setting<Path> LAKE_DIR = LAKE.dir();

  /** {@code batch.lake-uri}. */
  public static final Setting<URI> LAKE_URI = LAKE.uri();

  /** {@code batch.group-id}. */
  public static final Setting<String> GROUP_ID =
      Setting.string("batch.group-id", "oxbow-batch-loader", "Consumer group of the loader.");

  /** {@code batch.datasets}. */
  public static final Setting<List<DatasetSpec>> DATASETS =
      new Setting<>(
          "batch.datasets",
          "access-logs.enriched:event_time,orders.attributed:event_time,"
              + "access-logs.raw:received_time",
          "Comma-separated topic:event-time-field[:view-source] entries to land.",
          BatchConfig::parseDatasets);

  /** {@code batch.flush-rows}. */
  public static final Setting<Long> FLUSH_ROWS =
      Setting.longValue(
          "batch.flush-rows", 100_000, 1, Long.MAX_VALUE, "Rows per landed file at most.");

  /** {@code batch.flush-bytes}. */
  public static final Setting<Long> FLUSH_BYTES =
      Setting.bytes("batch.flush-bytes", "64MiB", "Encoded bytes per landed file, about.");

  /** {@code batch.rotate-interval}. */
  public static final Setting<Duration> ROTATE_INTERVAL =
      Setting.duration(
          "batch.rotate-interval", "1m", "Longest time a landed file stays open, idle or not.");

  /** {@code batch.allowed-lateness}. */
  public static final Setting<Duration> ALLOWED_LATENESS =
      Setting.duration(
          "batch.allowed-lateness", "10m", "How long after its end an hour waits for late rows.");

  /** {@code batch.idle-timeout}. */
  public static final Setting<Duration> IDLE_TIMEOUT =
      Setting.duration(
          "batch.idle-timeout",
          "5m",
          "A caught-up partition without records this long stops holding the watermark back,"
              + " once nothing waits for it upstream.");

  /** {@code batch.upstream-group-id}. */
  public static final Setting<String> UPSTREAM_GROUP_ID =
      new Setting<>(
          "batch.upstream-group-id",
          "oxbow-stream",
          "Consumer group (the stream processor's application id) whose lag on its inputs keeps"
              + " landed partitions from counting as idle.",
          BatchConfig::groupId);

  /** {@code batch.upstream-topics}. */
  public static final Setting<Map<String, List<String>>> UPSTREAM_TOPICS =
      new Setting<>(
          "batch.upstream-topics",
          "access-logs.enriched=access-logs.raw,orders.attributed=orders",
          "Comma-separated landed-topic=input-topic[+input-topic] entries: what the upstream group"
              + " reads to write each landed topic (empty: no upstream).",
          UpstreamSettings::parseInputs);

  /** {@code batch.compaction-interval}. */
  public static final Setting<Duration> COMPACTION_INTERVAL =
      Setting.duration(
          "batch.compaction-interval",
          "30s",
          "How often closed hours are compacted into the batch views (0 turns it off).");

  /** {@code batch.views-file}. */
  public static final Setting<Path> VIEWS_FILE =
      Setting.path(
              "batch.views-file",
              null,
              "Views file of the batch loader alone (overrides oxbow.views-file; the speed layer"
                  + " and the serving API need the same views).")
          .withFallback(DeploymentSettings.VIEWS_FILE);

  /** {@code batch.dlq-topic}. */
  public static final Setting<String> DLQ_TOPIC =
      Setting.string(
              "batch.dlq-topic",
              null,
              "Topic for records that cannot be landed (overrides oxbow.dlq-topic).")
          .withFallback(DeploymentSettings.DLQ_TOPIC);

  /** {@code batch.http-host}, read by {@code oxbow batch} (not part of the record). */
  public static final Setting<String> HTTP_HOST =
      Setting.string(
          "batch.http-host", "127.0.0.1", "Interface of the health and metrics endpoints.");

  /** {@code batch.http-port}. */
  public static final Setting<Integer> HTTP_PORT =
      Setting.port("batch.http-port", 8083, true, "Port of the health and metrics endpoints.");

  /** {@code batch.speed-topic-prefix}. */
  public static final Setting<String> SPEED_TOPIC_PREFIX =
      Setting.string(
          "batch.speed-topic-prefix",
          "views.speed.",
          "Prefix of the speed topics the loader removes covered windows from.");

  /** {@code batch.speed-cleanup-margin}. */
  public static final Setting<Duration> SPEED_CLEANUP_MARGIN =
      Setting.duration(
          "batch.speed-cleanup-margin",
          "2h",
          "Speed topic windows ending this long before the published batch watermark get"
              + " tombstones (0s: none).");

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> SETTINGS =
      Stream.of(
              List.<Setting<?>>of(
                  BOOTSTRAP_SERVERS, KafkaClientSecurity.CLIENT_CONFIG, SCHEMA_REGISTRY_URL),
              LAKE.all(),
              List.<Setting<?>>of(
                  GROUP_ID,
                  DATASETS,
                  FLUSH_ROWS,
                  FLUSH_BYTES,
                  ROTATE_INTERVAL,
                  ALLOWED_LATENESS,
                  IDLE_TIMEOUT,
                  UPSTREAM_GROUP_ID,
                  UPSTREAM_TOPICS,
                  COMPACTION_INTERVAL,
                  VIEWS_FILE,
                  DLQ_TOPIC,
                  HTTP_HOST,
                  HTTP_PORT,
                  SPEED_TOPIC_PREFIX,
                  SPEED_CLEANUP_MARGIN,
                  DeploymentSettings.VISIT_TIMEOUT,
                  DeploymentSettings.VISIT_MAX_PAGE_VIEWS_PER_MINUTE),
              RetentionSettings.SETTINGS)
          .flatMap(List::stream)
          .toList();

  /** Copies the list. */
  public BatchConfig {
    datasets = List.copyOf(datasets);
  }

  /** Reads every setting from {@code source}; errors name the setting. */
  public static BatchConfig from(ConfigSource source) {
    return new BatchConfig(
        source.get(BOOTSTRAP_SERVERS),
        source.get(SCHEMA_REGISTRY_URL),
        LAKE.read(source),
        source.get(GROUP_ID),
        source.get(DATASETS),
        new RollPolicy(
            source.get(FLUSH_ROWS), source.get(FLUSH_BYTES), source.get(ROTATE_INTERVAL)),
        source.get(ALLOWED_LATENESS),
        source.get(IDLE_TIMEOUT),
        new UpstreamSettings(source.get(UPSTREAM_GROUP_ID), source.get(UPSTREAM_TOPICS)),
        source.get(COMPACTION_INTERVAL),
        source.find(VIEWS_FILE),
        source.get(DLQ_TOPIC),
        source.get(HTTP_PORT),
        KafkaClientSecurity.from(source),
        source.get(SPEED_TOPIC_PREFIX),
        source.get(SPEED_CLEANUP_MARGIN),
        RetentionSettings.from(source).validate(source.get(ALLOWED_LATENESS)),
        new VisitRules(
            source.get(DeploymentSettings.VISIT_TIMEOUT),
            source.get(DeploymentSettings.VISIT_MAX_PAGE_VIEWS_PER_MINUTE)));
  }

  /** The configuration of these flags (setting key to text) over the defaults only. */
  public static BatchConfig of(Map<String, String> flags) {
    return from(ConfigSource.ofFlags(flags));
  }

  private static String groupId(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("a consumer group id, not empty");
    }
    return text.trim();
  }

  private static List<DatasetSpec> parseDatasets(String text) {
    List<DatasetSpec> specs = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        specs.add(DatasetSpec.parse(part));
      }
    }
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("at least one topic:time-field pair");
    }
    return specs;
  }
}
