package io.oxbow.serving;

import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.http.security.HttpSecurityConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Configuration of the serving API ({@code oxbow serve}), read once from a {@link ConfigSource}.
 *
 * <p>API keys, TLS, the management port and a rate limit are the {@link #SECURITY} settings ({@code
 * serve.api-key-file}, {@code serve.tls-cert-file}, ...), read separately.
 *
 * @param host interface to bind ({@code serve.host}, default 127.0.0.1)
 * @param port HTTP port ({@code serve.port}, default 8070; 0 picks a free one)
 * @param bootstrapServers Kafka ({@code serve.bootstrap-servers}, default 127.0.0.1:9092)
 * @param schemaRegistryUrl registry of the speed view schemas ({@code serve.schema-registry-url},
 *     default http://127.0.0.1:8081; {@code mock://scope} for an in-memory one)
 * @param lakeDir root of the Parquet lake holding the batch views ({@code serve.lake-dir}, default
 *     ./data/lake)
 * @param viewsFile views file extending the default views ({@code serve.views-file}; none: the
 *     defaults)
 * @param speedTopicPrefix prefix of the speed view topics ({@code serve.speed-topic-prefix},
 *     default views.speed.)
 * @param dlqTopic dead-letter topic ({@code serve.dlq-topic}, default access-logs.dlq)
 * @param streamGroup consumer group of the stream processor ({@code serve.stream-group}, default
 *     oxbow-stream)
 * @param batchGroup consumer group of the batch loader ({@code serve.batch-group}, default
 *     oxbow-batch-loader)
 * @param streamMetricsUrl the stream processor's Prometheus endpoint for dropped counts ({@code
 *     serve.stream-metrics-url}; none: not reported)
 * @param maxQueryWindows most view windows a query may span ({@code serve.max-query-windows},
 *     default 100000)
 * @param maxQueryRows most rows a query may return ({@code serve.max-query-rows}, default 10000)
 * @param queryCacheRows most rows (and seam aggregates) of rolled-up windows kept for repeated
 *     queries ({@code serve.query-cache-rows}, default 100000; 0: no cache)
 */
public record ServeConfig(
    String host,
    int port,
    String bootstrapServers,
    String schemaRegistryUrl,
    Path lakeDir,
    Optional<Path> viewsFile,
    String speedTopicPrefix,
    String dlqTopic,
    String streamGroup,
    String batchGroup,
    Optional<URI> streamMetricsUrl,
    long maxQueryWindows,
    int maxQueryRows,
    long queryCacheRows) {

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

  /** {@code serve.lake-dir}. */
  public static final Setting<Path> LAKE_DIR =
      Setting.path("serve.lake-dir", "./data/lake", "Root directory of the Parquet lake.");

  /** {@code serve.views-file}. */
  public static final Setting<Path> VIEWS_FILE =
      Setting.path("serve.views-file", null, "Views file extending the default views.");

  /** {@code serve.speed-topic-prefix}. */
  public static final Setting<String> SPEED_TOPIC_PREFIX =
      Setting.string("serve.speed-topic-prefix", "views.speed.", "Prefix of the speed topics.");

  /** {@code serve.dlq-topic}. */
  public static final Setting<String> DLQ_TOPIC =
      Setting.string("serve.dlq-topic", "access-logs.dlq", "Dead-letter topic shown by the API.");

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

  /** {@code serve.max-query-windows}. */
  public static final Setting<Long> MAX_QUERY_WINDOWS =
      Setting.longValue(
          "serve.max-query-windows",
          100_000,
          1,
          100_000_000,
          "Most windows of a view one query may span.");

  /** {@code serve.max-query-rows}. */
  public static final Setting<Integer> MAX_QUERY_ROWS =
      Setting.integer(
          "serve.max-query-rows", 10_000, 1, 1_000_000, "Most rows one query may return.");

  /** {@code serve.query-cache-rows}. */
  public static final Setting<Long> QUERY_CACHE_ROWS =
      Setting.longValue(
          "serve.query-cache-rows",
          100_000,
          0,
          100_000_000,
          "Most rows of rolled-up windows cached for repeated queries (0: none).");

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          HOST,
          PORT,
          BOOTSTRAP_SERVERS,
          SCHEMA_REGISTRY_URL,
          LAKE_DIR,
          VIEWS_FILE,
          SPEED_TOPIC_PREFIX,
          DLQ_TOPIC,
          STREAM_GROUP,
          BATCH_GROUP,
          STREAM_METRICS_URL,
          MAX_QUERY_WINDOWS,
          MAX_QUERY_ROWS,
          QUERY_CACHE_ROWS);

  /**
   * The configuration in {@code source}.
   *
   * @throws io.oxbow.runtime.config.ConfigException naming the first bad setting
   */
  public static ServeConfig from(ConfigSource source) {
    return new ServeConfig(
        source.get(HOST),
        source.get(PORT),
        source.get(BOOTSTRAP_SERVERS),
        source.get(SCHEMA_REGISTRY_URL),
        source.get(LAKE_DIR),
        source.find(VIEWS_FILE),
        source.get(SPEED_TOPIC_PREFIX),
        source.get(DLQ_TOPIC),
        source.get(STREAM_GROUP),
        source.get(BATCH_GROUP),
        source.find(STREAM_METRICS_URL),
        source.get(MAX_QUERY_WINDOWS),
        source.get(MAX_QUERY_ROWS),
        source.get(QUERY_CACHE_ROWS));
  }
}
