package io.oxbow.serving;

import io.oxbow.lake.LakeLocation;
import io.oxbow.lake.LakeSettings;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.DeploymentSettings;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.http.security.HttpSecurityConfig;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import io.oxbow.serving.query.QueryLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration of the serving API ({@code oxbow serve}), read once from a {@link ConfigSource}.
 *
 * <p>API keys, TLS, the management port and a rate limit are the {@link #SECURITY} settings ({@code
 * serve.api-key-file}, {@code serve.tls-cert-file}, ...), read separately.
 *
 * @param host interface to bind ({@code serve.host}, default 127.0.0.1)
 * @param port HTTP port ({@code serve.port}, default 8070; 0 picks a free one)
 *     <p>Each {@code serve.*} key that has a deployment-wide counterpart ({@link
 *     DeploymentSettings}) overrides it for the serving API alone when set.
 * @param bootstrapServers Kafka ({@code serve.bootstrap-servers}, else {@code
 *     oxbow.bootstrap-servers}, default 127.0.0.1:9092)
 * @param schemaRegistryUrl registry of the speed view schemas ({@code serve.schema-registry-url},
 *     else {@code oxbow.schema-registry-url}, default http://127.0.0.1:8081; {@code mock://scope}
 *     for an in-memory one)
 * @param lake the lake holding the batch views: a local root ({@code serve.lake-dir}, else {@code
 *     oxbow.lake-dir}, default ./data/lake) or {@code s3://bucket/prefix} ({@code serve.lake-uri})
 *     with how to reach S3 ({@code serve.s3-endpoint}, {@code serve.s3-region}, ...; see {@link
 *     LakeSettings})
 * @param viewsFile views file extending the default views ({@code serve.views-file}, else {@code
 *     oxbow.views-file}; none: the defaults)
 * @param speedTopicPrefix prefix of the speed view topics ({@code serve.speed-topic-prefix},
 *     default views.speed.)
 * @param dlqTopic dead-letter topic ({@code serve.dlq-topic}, else {@code oxbow.dlq-topic}, default
 *     access-logs.dlq)
 * @param streamGroup consumer group of the stream processor ({@code serve.stream-group}, default
 *     oxbow-stream)
 * @param batchGroup consumer group of the batch loader ({@code serve.batch-group}, default
 *     oxbow-batch-loader)
 * @param streamMetricsUrl the stream processor's Prometheus endpoint for dropped counts ({@code
 *     serve.stream-metrics-url}; none: not reported)
 * @param queryLimits bounds of every query: {@code serve.max-query-buckets} (default 10000, the
 *     range limit, counted at the query's granularity; the former {@code serve.max-query-windows}
 *     is still accepted and ignored with a warning), {@code serve.max-query-groups} (1000000),
 *     {@code serve.max-query-rows} (10000), {@code serve.query-timeout} (10s), {@code
 *     serve.max-concurrent-queries} (4), {@code serve.query-wait} (2s), {@code
 *     serve.max-query-parameter-chars} (1024), {@code serve.max-query-filters} (64)
 * @param queryCacheBytes most bytes (estimated) of rolled-up windows kept for repeated queries
 *     ({@code serve.query-cache-bytes}, default 64MiB; 0: no cache)
 * @param queryCacheEntries most query parts kept ({@code serve.query-cache-entries}, default 10000;
 *     0: no cache)
 * @param batchCacheBytes most bytes (estimated) of decoded batch view files kept ({@code
 *     serve.batch-cache-bytes}, default 128MiB; 0: none)
 * @param batchCacheEntries most decoded batch view files kept ({@code serve.batch-cache-entries},
 *     default 10000; 0: none)
 * @param kafkaSecurity security of every Kafka client: the speed-view and dead-letter tailers and
 *     the lag admin ({@code kafka.client-config} and {@code kafka.client.*}, default none)
 * @param speedMargin how long before the batch watermark speed windows stay in memory, and how far
 *     before it a start reads the speed topics ({@code serve.speed-margin}, default 1h)
 * @param maxGroupsPerWindow most groups of one window of a view in an answer; the least frequent
 *     beyond it fold into one {@code (other)} group ({@code serve.max-groups-per-window}, default
 *     10000)
 */
public record ServeConfig(
    String host,
    int port,
    String bootstrapServers,
    String schemaRegistryUrl,
    LakeLocation lake,
    Optional<Path> viewsFile,
    String speedTopicPrefix,
    String dlqTopic,
    String streamGroup,
    String batchGroup,
    Optional<URI> streamMetricsUrl,
    QueryLimits queryLimits,
    long queryCacheBytes,
    int queryCacheEntries,
    long batchCacheBytes,
    int batchCacheEntries,
    KafkaClientSecurity kafkaSecurity,
    Duration speedMargin,
    int maxGroupsPerWindow) {
  private static final Logger log = LoggerFactory.getLogger(ServeConfig.class);

  /** {@code serve.host}. */
  public static final Setting<String> HOST =
      Setting.string("serve.host", "127.0.0.1", "Interface the serving API binds.");

  /** API keys, TLS, management port, rate limit ({@code serve.api-key-file}, ...); no limit. */
  public static final HttpSecurityConfig.Settings SECURITY =
      HttpSecurityConfig.Settings.of("serve", 0, 100);

  /** {@code serve.port}. */
  public static final Setting<Integer> PORT =
      Setting.port("serve.port", 8070, true, "HTTP port of the query API and dashboard (0: free).");

  /** {@code serve.bootstrap-servers}. */
  public static final Setting<String> BOOTSTRAP_SERVERS = Setting.bootstrapServers("serve");

  /** {@code serve.schema-registry-url}. */
  public static final Setting<String> SCHEMA_REGISTRY_URL = Setting.schemaRegistryUrl("serve");

  /**
   * The lake: {@code serve.lake-dir}, {@code serve.lake-uri} and the S3 settings ({@code
   * serve.s3-endpoint}, ...), defined with the batch loader's by the lake module.
   */
  public static final LakeSettings LAKE = LakeSettings.of("serve");

  /** {@code serve.lake-dir}. */
  public static final Setting<Path> LAKE_DIR = LAKE.dir();

  /** {@code serve.lake-uri}. */
  public static final Setting<URI> LAKE_URI = LAKE.uri();

  /** {@code serve.views-file}. */
  public static final Setting<Path> VIEWS_FILE =
      Setting.path(
              "serve.views-file",
              null,
              "Views file of the serving API alone (overrides oxbow.views-file; the speed and"
                  + " batch layers need the same views).")
          .withFallback(DeploymentSettings.VIEWS_FILE);

  /** {@code serve.speed-topic-prefix}. */
  public static final Setting<String> SPEED_TOPIC_PREFIX =
      Setting.string("serve.speed-topic-prefix", "views.speed.", "Prefix of the speed topics.");

  /** {@code serve.dlq-topic}. */
  public static final Setting<String> DLQ_TOPIC =
      Setting.string(
              "serve.dlq-topic",
              null,
              "Dead-letter topic shown by the API (overrides oxbow.dlq-topic).")
          .withFallback(DeploymentSettings.DLQ_TOPIC);

  /** {@code serve.stream-group}. */
  public static final Setting<String> STREAM_GROUP =
      Setting.string(
          "serve.stream-group", "oxbow-stream", "Consumer group of the stream processor.");

  /** {@code serve.batch-group}. */
  public static final Setting<String> BATCH_GROUP =
      Setting.string(
          "serve.batch-group", "oxbow-batch-loader", "Consumer group of the batch loader.");

  /** {@code serve.stream-metrics-url}. */
  public static final Setting<URI> STREAM_METRICS_URL =
      new Setting<>(
          "serve.stream-metrics-url",
          null,
          "Stream processor's /metrics URL, for dropped counts in /api/v1/status.",
          URI::create);

  /**
   * {@code serve.max-query-windows}: no longer bounds anything. A query's range is bounded by the
   * buckets of its answer ({@link #MAX_QUERY_BUCKETS}) and its work by {@link #MAX_QUERY_GROUPS}
   * and {@link #QUERY_TIMEOUT}; the key is still accepted so existing configurations start.
   */
  public static final Setting<Long> MAX_QUERY_WINDOWS =
      Setting.longValue(
          "serve.max-query-windows",
          100_000,
          1,
          100_000_000,
          "Deprecated and ignored: the range is bounded by serve.max-query-buckets.");

  /** {@code serve.max-query-rows}. */
  public static final Setting<Integer> MAX_QUERY_ROWS =
      Setting.integer(
          "serve.max-query-rows", 10_000, 1, 1_000_000, "Most rows one query may return.");

  /** {@code serve.max-query-buckets}. */
  public static final Setting<Integer> MAX_QUERY_BUCKETS =
      Setting.integer(
          "serve.max-query-buckets",
          10_000,
          1,
          100_000_000,
          "Most time buckets of its granularity one query's answer may hold (the range limit).");

  /** {@code serve.max-query-groups}. */
  public static final Setting<Long> MAX_QUERY_GROUPS =
      Setting.longValue(
          "serve.max-query-groups",
          1_000_000,
          1,
          1_000_000_000,
          "Most stored groups (a window and its dimension values) one query may read.");

  /** {@code serve.query-timeout}. */
  public static final Setting<Duration> QUERY_TIMEOUT =
      Setting.duration(
          "serve.query-timeout", "10s", "Most time one query may compute; then it answers 503.");

  /** {@code serve.max-concurrent-queries}. */
  public static final Setting<Integer> MAX_CONCURRENT_QUERIES =
      Setting.integer(
          "serve.max-concurrent-queries",
          4,
          1,
          10_000,
          "Most queries answered at once; more are refused with 503 and Retry-After.");

  /** {@code serve.query-wait}. */
  public static final Setting<Duration> QUERY_WAIT =
      Setting.duration(
          "serve.query-wait",
          "2s",
          "Most time a query waits for a place among the concurrent ones; then it answers 503.");

  /** {@code serve.max-query-parameter-chars}. */
  public static final Setting<Integer> MAX_QUERY_PARAMETER_CHARS =
      Setting.integer(
          "serve.max-query-parameter-chars",
          1_024,
          16,
          1_000_000,
          "Longest value of a query parameter, in characters.");

  /** {@code serve.max-query-filters}. */
  public static final Setting<Integer> MAX_QUERY_FILTERS =
      Setting.integer(
          "serve.max-query-filters", 64, 1, 100_000, "Most filter parameters of one query.");

  /** {@code serve.query-cache-bytes}. */
  public static final Setting<Long> QUERY_CACHE_BYTES =
      Setting.bytes(
          "serve.query-cache-bytes",
          "64MiB",
          "Most heap (estimated) of rolled-up windows cached for repeated queries (0: none).");

  /** {@code serve.query-cache-entries}. */
  public static final Setting<Integer> QUERY_CACHE_ENTRIES =
      Setting.integer(
          "serve.query-cache-entries",
          10_000,
          0,
          100_000_000,
          "Most query parts cached for repeated queries (0: none).");

  /** {@code serve.batch-cache-bytes}. */
  public static final Setting<Long> BATCH_CACHE_BYTES =
      Setting.bytes(
          "serve.batch-cache-bytes",
          "128MiB",
          "Most heap (estimated) of decoded batch view files kept (0: none).");

  /** {@code serve.batch-cache-entries}. */
  public static final Setting<Integer> BATCH_CACHE_ENTRIES =
      Setting.integer(
          "serve.batch-cache-entries",
          10_000,
          0,
          100_000_000,
          "Most decoded batch view files kept (0: none).");

  /** {@code serve.speed-margin}. */
  public static final Setting<Duration> SPEED_MARGIN =
      Setting.duration(
          "serve.speed-margin",
          "1h",
          "Speed windows ending this long before the batch watermark leave memory; a start reads"
              + " the speed topics from the watermark minus this and one window.");

  /** {@code serve.max-groups-per-window}. */
  public static final Setting<Integer> MAX_GROUPS_PER_WINDOW =
      Setting.integer(
          "serve.max-groups-per-window",
          10_000,
          2,
          100_000_000,
          "Most groups of one window of a view in an answer; the least frequent beyond it fold"
              + " into one (other) group.");

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> SETTINGS =
      Stream.of(
              List.<Setting<?>>of(
                  HOST,
                  PORT,
                  BOOTSTRAP_SERVERS,
                  KafkaClientSecurity.CLIENT_CONFIG,
                  SCHEMA_REGISTRY_URL),
              LAKE.all(),
              List.<Setting<?>>of(
                  VIEWS_FILE,
                  SPEED_TOPIC_PREFIX,
                  DLQ_TOPIC,
                  STREAM_GROUP,
                  BATCH_GROUP,
                  STREAM_METRICS_URL,
                  MAX_QUERY_WINDOWS,
                  MAX_QUERY_BUCKETS,
                  MAX_QUERY_GROUPS,
                  MAX_QUERY_ROWS,
                  QUERY_TIMEOUT,
                  MAX_CONCURRENT_QUERIES,
                  QUERY_WAIT,
                  MAX_QUERY_PARAMETER_CHARS,
                  MAX_QUERY_FILTERS,
                  QUERY_CACHE_BYTES,
                  QUERY_CACHE_ENTRIES,
                  BATCH_CACHE_BYTES,
                  BATCH_CACHE_ENTRIES,
                  SPEED_MARGIN,
                  MAX_GROUPS_PER_WINDOW))
          .flatMap(List::stream)
          .toList();

  /**
   * The configuration in {@code source}.
   *
   * @throws io.oxbow.runtime.config.ConfigException naming the first bad setting
   */
  public static ServeConfig from(ConfigSource source) {
    if (source.find(MAX_QUERY_WINDOWS).isPresent()) {
      log.warn(
          "{} is deprecated and ignored: a query's range is bounded by {} (its answer's buckets)",
          MAX_QUERY_WINDOWS.key(),
          MAX_QUERY_BUCKETS.key());
    }
    return new ServeConfig(
        source.get(HOST),
        source.get(PORT),
        source.get(BOOTSTRAP_SERVERS),
        source.get(SCHEMA_REGISTRY_URL),
        LAKE.read(source),
        source.find(VIEWS_FILE),
        source.get(SPEED_TOPIC_PREFIX),
        source.get(DLQ_TOPIC),
        source.get(STREAM_GROUP),
        source.get(BATCH_GROUP),
        source.find(STREAM_METRICS_URL),
        new QueryLimits(
            source.get(MAX_QUERY_BUCKETS),
            source.get(MAX_QUERY_GROUPS),
            source.get(MAX_QUERY_ROWS),
            source.get(QUERY_TIMEOUT),
            source.get(MAX_CONCURRENT_QUERIES),
            source.get(QUERY_WAIT),
            source.get(MAX_QUERY_PARAMETER_CHARS),
            source.get(MAX_QUERY_FILTERS)),
        source.get(QUERY_CACHE_BYTES),
        source.get(QUERY_CACHE_ENTRIES),
        source.get(BATCH_CACHE_BYTES),
        source.get(BATCH_CACHE_ENTRIES),
        KafkaClientSecurity.from(source),
        source.get(SPEED_MARGIN),
        source.get(MAX_GROUPS_PER_WINDOW));
  }
}
