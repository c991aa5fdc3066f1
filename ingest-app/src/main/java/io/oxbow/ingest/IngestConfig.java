package io.oxbow.ingest;

import io.oxbow.contracts.TopicNames;
import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.http.security.HttpSecurityConfig;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import io.oxbow.runtime.kafka.ReplicationSettings;
import io.oxbow.runtime.kafka.TopicRetention;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the ingest app, read once from flags, {@code OXBOW_INGEST_*} environment
 * variables, a properties file and defaults (see {@code docs/ingest.md} for the table).
 *
 * <p>API keys, TLS, the management port and the per-key rate limit are the {@link #SECURITY}
 * settings ({@code ingest.api-key-file}, {@code ingest.tls-cert-file}, ...), read separately.
 *
 * @param host interface to bind ({@code ingest.host}, default 127.0.0.1)
 * @param port HTTP port ({@code ingest.port}, default 8080, 0 = free port)
 * @param bootstrapServers Kafka brokers ({@code ingest.bootstrap-servers}, else the deployment's
 *     {@code oxbow.bootstrap-servers}, default 127.0.0.1:9092)
 * @param schemaRegistryUrl schema registry ({@code ingest.schema-registry-url}, else {@code
 *     oxbow.schema-registry-url}, default http://127.0.0.1:8081; {@code mock://scope} for an
 *     in-memory one)
 * @param logsTopic topic of raw log lines ({@code ingest.logs-topic}, default access-logs.raw)
 * @param ordersTopic topic of orders ({@code ingest.orders-topic}, default orders)
 * @param idempotencyTopic compacted topic of remembered Idempotency-Keys ({@code
 *     ingest.idempotency-topic}, default ingest.idempotency)
 * @param idempotencyWindow how long an Idempotency-Key is remembered ({@code
 *     ingest.idempotency-window}, default 24h)
 * @param idempotencyMaxKeys most keys held in memory ({@code ingest.idempotency-max-keys}, default
 *     500000, about 120 bytes each); past it the oldest key of the client holding the most keys is
 *     forgotten first
 * @param maxBodyBytes largest request body after decompression ({@code ingest.max-body-bytes},
 *     default 8MiB)
 * @param maxLineBytes largest log line ({@code ingest.max-line-bytes}, default 64KiB)
 * @param maxInflightBytes request bytes held in memory at once across all requests ({@code
 *     ingest.max-inflight-bytes}, default 64MiB); past it requests get 503
 * @param ackTimeout how long a request waits for Kafka's acknowledgement before 503 ({@code
 *     ingest.ack-timeout}, default 10s)
 * @param retryAfterSeconds the Retry-After of a 503 ({@code ingest.retry-after-seconds}, default 1)
 * @param writers transactional producers writing in parallel ({@code ingest.writers}, default 4)
 * @param transactionalIdPrefix prefix of the producers' transactional ids, unique per instance and
 *     stable across its restarts so a restart fences its predecessor ({@code
 *     ingest.transactional-id-prefix}, default {@code oxbow-ingest-<host name>-<port>}, see {@link
 *     TransactionalIds})
 * @param limits per-request limits checked before work ({@link IngestLimits}: lines, orders, JSON
 *     values, field and source lengths, errors listed, keys per client)
 * @param kafkaSecurity security of every Kafka client ({@code kafka.client-config} and {@code
 *     kafka.client.*}, default none: PLAINTEXT), see {@link KafkaClientSecurity}
 * @param replication replication of the topics it creates ({@code oxbow.replication-factor}, {@code
 *     oxbow.min-insync-replicas}, default auto: see {@link
 *     io.oxbow.runtime.kafka.TopicReplication})
 * @param topicRetention time retention of the logs and orders topics it creates ({@code
 *     oxbow.topic-retention}, default 7d; see {@link TopicRetention})
 */
public record IngestConfig(
    String host,
    int port,
    String bootstrapServers,
    String schemaRegistryUrl,
    String logsTopic,
    String ordersTopic,
    String idempotencyTopic,
    Duration idempotencyWindow,
    int idempotencyMaxKeys,
    long maxBodyBytes,
    long maxLineBytes,
    long maxInflightBytes,
    Duration ackTimeout,
    int retryAfterSeconds,
    int writers,
    String transactionalIdPrefix,
    IngestLimits limits,
    KafkaClientSecurity kafkaSecurity,
    ReplicationSettings replication,
    TopicRetention topicRetention) {

  /** The setting {@code ingest.host}. */
  public static final Setting<String> HOST =
      Setting.string("ingest.host", "127.0.0.1", "Interface the HTTP server binds.");

  /** The setting {@code ingest.port}. */
  public static final Setting<Integer> PORT =
      Setting.port("ingest.port", 8080, true, "HTTP port (0 picks a free port).");

  /** The setting {@code ingest.bootstrap-servers}. */
  public static final Setting<String> BOOTSTRAP_SERVERS = Setting.bootstrapServers("ingest");

  /** The setting {@code ingest.schema-registry-url}. */
  public static final Setting<String> SCHEMA_REGISTRY_URL = Setting.schemaRegistryUrl("ingest");

  /** The setting {@code ingest.logs-topic}. */
  public static final Setting<String> LOGS_TOPIC =
      Setting.string("ingest.logs-topic", TopicNames.ACCESS_LOGS_RAW, "Topic of raw log lines.");

  /** The setting {@code ingest.orders-topic}. */
  public static final Setting<String> ORDERS_TOPIC =
      Setting.string("ingest.orders-topic", TopicNames.ORDERS, "Topic of order events.");

  /** The setting {@code ingest.idempotency-topic}. */
  public static final Setting<String> IDEMPOTENCY_TOPIC =
      Setting.string(
          "ingest.idempotency-topic",
          "ingest.idempotency",
          "Compacted topic remembering Idempotency-Keys.");

  /** The setting {@code ingest.idempotency-window}. */
  public static final Setting<Duration> IDEMPOTENCY_WINDOW =
      Setting.duration(
          "ingest.idempotency-window", "24h", "How long an Idempotency-Key is remembered.");

  /** The setting {@code ingest.idempotency-max-keys}. */
  public static final Setting<Integer> IDEMPOTENCY_MAX_KEYS =
      Setting.integer(
          "ingest.idempotency-max-keys",
          500_000,
          1,
          100_000_000,
          "Most Idempotency-Keys held in memory (about 120 bytes each); the largest client's oldest"
              + " forgotten first.");

  /** The setting {@code ingest.max-body-bytes}. */
  public static final Setting<Long> MAX_BODY_BYTES =
      Setting.bytes(
          "ingest.max-body-bytes", "8MiB", "Largest request body (after decompression): 413.");

  /** The setting {@code ingest.max-line-bytes}. */
  public static final Setting<Long> MAX_LINE_BYTES =
      Setting.bytes("ingest.max-line-bytes", "64KiB", "Largest log line: 413 naming the line.");

  /** The setting {@code ingest.max-inflight-bytes}. */
  public static final Setting<Long> MAX_INFLIGHT_BYTES =
      Setting.bytes(
          "ingest.max-inflight-bytes",
          "64MiB",
          "Request bytes held in memory across all requests; past it 503.");

  /** The setting {@code ingest.ack-timeout}. */
  public static final Setting<Duration> ACK_TIMEOUT =
      Setting.duration(
          "ingest.ack-timeout", "10s", "How long to wait for Kafka's acknowledgement: 503.");

  /** The setting {@code ingest.retry-after-seconds}. */
  public static final Setting<Integer> RETRY_AFTER_SECONDS =
      Setting.integer(
          "ingest.retry-after-seconds", 1, 1, 3600, "Retry-After of a 503, in seconds.");

  /** The setting {@code ingest.writers}. */
  public static final Setting<Integer> WRITERS =
      Setting.integer(
          "ingest.writers", 4, 1, 64, "Transactional producers writing requests in parallel.");

  /** The setting {@code ingest.transactional-id-prefix}. */
  public static final Setting<String> TRANSACTIONAL_ID_PREFIX =
      Setting.string(
          "ingest.transactional-id-prefix",
          null,
          "Prefix of transactional ids; unique per ingest instance, stable across restarts"
              + " (none: oxbow-ingest-<host name>-<port>; on port 0 a random suffix).");

  /**
   * API keys, TLS, management port and rate limit: {@code ingest.api-key-file}, {@code
   * ingest.api-keys}, ..., with a default limit of 100 requests a second per key (burst 200).
   */
  public static final HttpSecurityConfig.Settings SECURITY =
      HttpSecurityConfig.Settings.of("ingest", 100, 200);

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> SETTINGS =
      java.util.stream.Stream.concat(
              List.<Setting<?>>of(
                  HOST,
                  PORT,
                  BOOTSTRAP_SERVERS,
                  KafkaClientSecurity.CLIENT_CONFIG,
                  SCHEMA_REGISTRY_URL,
                  LOGS_TOPIC,
                  ORDERS_TOPIC,
                  IDEMPOTENCY_TOPIC,
                  IDEMPOTENCY_WINDOW,
                  IDEMPOTENCY_MAX_KEYS,
                  MAX_BODY_BYTES,
                  MAX_LINE_BYTES,
                  MAX_INFLIGHT_BYTES,
                  ACK_TIMEOUT,
                  RETRY_AFTER_SECONDS,
                  WRITERS,
                  TRANSACTIONAL_ID_PREFIX,
                  ReplicationSettings.REPLICATION_FACTOR,
                  ReplicationSettings.MIN_INSYNC_REPLICAS,
                  TopicRetention.RETENTION)
                  .stream(),
              IngestLimits.SETTINGS.stream())
          .toList();

  /** Checks the relations between settings. */
  public IngestConfig {
    if (maxLineBytes > maxBodyBytes) {
      throw new ConfigException("ingest.max-line-bytes must not exceed ingest.max-body-bytes");
    }
    if (maxInflightBytes < maxBodyBytes) {
      throw new ConfigException("ingest.max-inflight-bytes must be at least ingest.max-body-bytes");
    }
  }

  /** Reads every setting; errors name the setting. */
  public static IngestConfig from(ConfigSource source) {
    return new IngestConfig(
        source.get(HOST),
        source.get(PORT),
        source.get(BOOTSTRAP_SERVERS),
        source.get(SCHEMA_REGISTRY_URL),
        source.get(LOGS_TOPIC),
        source.get(ORDERS_TOPIC),
        source.get(IDEMPOTENCY_TOPIC),
        source.get(IDEMPOTENCY_WINDOW),
        source.get(IDEMPOTENCY_MAX_KEYS),
        source.get(MAX_BODY_BYTES),
        source.get(MAX_LINE_BYTES),
        source.get(MAX_INFLIGHT_BYTES),
        source.get(ACK_TIMEOUT),
        source.get(RETRY_AFTER_SECONDS),
        source.get(WRITERS),
        source
            .find(TRANSACTIONAL_ID_PREFIX)
            .orElseGet(() -> TransactionalIds.defaultPrefix(source.get(PORT))),
        IngestLimits.from(source),
        KafkaClientSecurity.from(source),
        ReplicationSettings.from(source),
        TopicRetention.from(source));
  }

  /** The defaults, for the given brokers, on a free port (tests and the demo). */
  public static IngestConfig defaults(String bootstrapServers) {
    return from(
        ConfigSource.ofFlags(
            java.util.Map.of(BOOTSTRAP_SERVERS.key(), bootstrapServers, PORT.key(), "0")));
  }
}
