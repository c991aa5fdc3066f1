package io.oxbow.stream;

import io.oxbow.contracts.TopicNames;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.DeploymentSettings;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import io.oxbow.runtime.kafka.ReplicationSettings;
import io.oxbow.runtime.kafka.TopicRetention;
import io.oxbow.stream.enrich.Cidr;
import io.oxbow.views.visit.VisitRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The stream processor's configuration, read once at the edge from a {@link ConfigSource} (flags,
 * {@code OXBOW_STREAM_*} environment variables, a properties file, then these defaults).
 *
 * <p>The stream processor reads the deployment-wide {@code oxbow.dlq-topic} and {@code
 * oxbow.views-file} ({@link DeploymentSettings}) as they are, and {@code oxbow.bootstrap-servers}
 * and {@code oxbow.schema-registry-url} unless its own keys below override them.
 *
 * @param bootstrapServers Kafka bootstrap servers ({@code stream.bootstrap-servers}, else {@code
 *     oxbow.bootstrap-servers}, default {@code 127.0.0.1:9092})
 * @param schemaRegistryUrl schema registry URL ({@code stream.schema-registry-url}, else {@code
 *     oxbow.schema-registry-url}, default {@code http://127.0.0.1:8081}; {@code mock://scope} for
 *     an in-memory registry)
 * @param applicationId Kafka Streams application id and consumer group ({@code
 *     stream.application-id}, default {@code oxbow-stream})
 * @param stateDir RocksDB state directory ({@code stream.state-dir}, default {@code data/stream})
 * @param grace how long after a window closes late records are still folded into the speed views
 *     ({@code stream.grace}, default 5m)
 * @param attributionWindow how long before an order its client's page views count for attribution
 *     ({@code stream.attribution-window}, default 30m)
 * @param internalCidrs extra address ranges to drop as internal traffic ({@code
 *     stream.internal-cidrs}, comma separated, default none)
 * @param exactlyOnce exactly_once_v2 when true, at_least_once when false ({@code
 *     stream.exactly-once}, default true)
 * @param commitInterval Streams commit interval ({@code stream.commit-interval}, default 100ms)
 * @param uaCacheSize user-agent analysis cache entries ({@code stream.ua-cache-size}, default
 *     10000)
 * @param threads Kafka Streams threads of this instance ({@code stream.threads}, default 1); tasks
 *     (one per sub-topology and partition) are spread over them
 * @param httpPort port of /health/live, /health/ready and /metrics ({@code stream.http-port},
 *     default 8082; 0 picks a free port)
 * @param topics the topic names: the contract's defaults with the dead-letter topic of {@code
 *     oxbow.dlq-topic}, all behind {@code stream.topic-prefix}
 * @param kafkaSecurity security of every Kafka client ({@code kafka.client-config} and {@code
 *     kafka.client.*}, default none: PLAINTEXT); Kafka Streams passes it to its main, restore and
 *     global consumers, its producer and its admin client
 * @param replication replication of the topics it creates and of Kafka Streams' internal topics
 *     ({@code oxbow.replication-factor}, {@code oxbow.min-insync-replicas}, default auto: see
 *     {@link io.oxbow.runtime.kafka.TopicReplication})
 * @param topicRetention time retention of the raw, orders, enriched, attributed and dead-letter
 *     topics it creates ({@code oxbow.topic-retention}, default 7d; see {@link TopicRetention})
 * @param visits what makes a visit: the inactivity timeout ({@code oxbow.visit-timeout}, default
 *     30m) and the page-rate bot rule ({@code oxbow.visit-max-page-views-per-minute}, default 30),
 *     shared with the batch loader
 */
public record StreamConfig(
    String bootstrapServers,
    String schemaRegistryUrl,
    String applicationId,
    Path stateDir,
    Duration grace,
    Duration attributionWindow,
    List<Cidr> internalCidrs,
    boolean exactlyOnce,
    Duration commitInterval,
    int uaCacheSize,
    int threads,
    int httpPort,
    Topics topics,
    KafkaClientSecurity kafkaSecurity,
    ReplicationSettings replication,
    TopicRetention topicRetention,
    VisitRules visits) {

  /** {@code stream.bootstrap-servers}. */
  public static final Setting<String> BOOTSTRAP_SERVERS = Setting.bootstrapServers("stream");

  /** {@code stream.schema-registry-url}. */
  public static final Setting<String> SCHEMA_REGISTRY_URL = Setting.schemaRegistryUrl("stream");

  /** {@code stream.application-id}. */
  public static final Setting<String> APPLICATION_ID =
      Setting.string(
          "stream.application-id", "oxbow-stream", "Kafka Streams application id (group id).");

  /** {@code stream.state-dir}. */
  public static final Setting<Path> STATE_DIR =
      Setting.path(
          "stream.state-dir",
          "data/stream",
          "Directory of the stream processor's local state stores (RocksDB).");

  /** {@code stream.grace}. */
  public static final Setting<Duration> GRACE =
      Setting.duration(
          "stream.grace", "5m", "How late a record may be and still count in the speed views.");

  /** {@code stream.attribution-window}. */
  public static final Setting<Duration> ATTRIBUTION_WINDOW =
      Setting.duration(
          "stream.attribution-window",
          "30m",
          "Page views this long before an order are attributed to it.");

  /** {@code stream.internal-cidrs}. */
  public static final Setting<List<Cidr>> INTERNAL_CIDRS =
      new Setting<>(
          "stream.internal-cidrs",
          "",
          "Comma-separated CIDRs dropped as internal traffic, besides the private ranges.",
          StreamConfig::parseCidrs);

  /** {@code stream.exactly-once}. */
  public static final Setting<Boolean> EXACTLY_ONCE =
      Setting.bool(
          "stream.exactly-once", true, "exactly_once_v2 when true, at_least_once when false.");

  /** {@code stream.commit-interval}. */
  public static final Setting<Duration> COMMIT_INTERVAL =
      Setting.duration("stream.commit-interval", "100ms", "Kafka Streams commit interval.");

  /** {@code stream.ua-cache-size}. */
  public static final Setting<Integer> UA_CACHE_SIZE =
      Setting.integer(
          "stream.ua-cache-size", 10_000, 0, 10_000_000, "User-agent analysis cache entries.");

  /** {@code stream.threads}. */
  public static final Setting<Integer> THREADS =
      Setting.integer(
          "stream.threads",
          1,
          1,
          256,
          "Kafka Streams threads; tasks (sub-topology x partition) are spread over them.");

  /** {@code stream.http-host}, read by {@code oxbow stream} (not part of the record). */
  public static final Setting<String> HTTP_HOST =
      Setting.string(
          "stream.http-host", "127.0.0.1", "Interface of the health and metrics endpoints.");

  /** {@code stream.http-port}. */
  public static final Setting<Integer> HTTP_PORT =
      Setting.port("stream.http-port", 8082, true, "Port of the health and metrics endpoints.");

  /** {@code stream.partitions}. */
  public static final Setting<Integer> PARTITIONS =
      Setting.integer(
          "stream.partitions",
          3,
          1,
          1000,
          "Partitions of the topics the stream processor creates when they are missing.");

  /** {@code stream.topic-prefix}. */
  public static final Setting<String> TOPIC_PREFIX =
      Setting.string(
          "stream.topic-prefix",
          "",
          "Prefix put before every topic name (e.g. staging.); none by default.");

  /** {@code oxbow.dlq-topic}: where records that cannot be processed go. */
  public static final Setting<String> DLQ_TOPIC = DeploymentSettings.DLQ_TOPIC;

  /**
   * {@code oxbow.views-file}, read by {@code oxbow stream} (not part of the record): the views the
   * speed layer folds besides the defaults.
   */
  public static final Setting<Path> VIEWS_FILE = DeploymentSettings.VIEWS_FILE;

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          BOOTSTRAP_SERVERS,
          KafkaClientSecurity.CLIENT_CONFIG,
          SCHEMA_REGISTRY_URL,
          DLQ_TOPIC,
          VIEWS_FILE,
          APPLICATION_ID,
          STATE_DIR,
          GRACE,
          ATTRIBUTION_WINDOW,
          INTERNAL_CIDRS,
          EXACTLY_ONCE,
          COMMIT_INTERVAL,
          UA_CACHE_SIZE,
          THREADS,
          HTTP_HOST,
          HTTP_PORT,
          PARTITIONS,
          TOPIC_PREFIX,
          ReplicationSettings.REPLICATION_FACTOR,
          ReplicationSettings.MIN_INSYNC_REPLICAS,
          TopicRetention.RETENTION,
          DeploymentSettings.VISIT_TIMEOUT,
          DeploymentSettings.VISIT_MAX_PAGE_VIEWS_PER_MINUTE);

  /** Validates and copies. */
  public StreamConfig {
    internalCidrs = List.copyOf(internalCidrs);
    if (grace.isNegative() || attributionWindow.isNegative() || attributionWindow.isZero()) {
      throw new IllegalArgumentException("grace must be >= 0 and attribution window > 0");
    }
  }

  /** Reads every setting from {@code source}; errors name the setting. */
  public static StreamConfig from(ConfigSource source) {
    return new StreamConfig(
        source.get(BOOTSTRAP_SERVERS),
        source.get(SCHEMA_REGISTRY_URL),
        source.get(APPLICATION_ID),
        source.get(STATE_DIR),
        source.get(GRACE),
        source.get(ATTRIBUTION_WINDOW),
        source.get(INTERNAL_CIDRS),
        source.get(EXACTLY_ONCE),
        source.get(COMMIT_INTERVAL),
        source.get(UA_CACHE_SIZE),
        source.get(THREADS),
        source.get(HTTP_PORT),
        Topics.DEFAULT.withDlq(source.get(DLQ_TOPIC)).prefixed(source.get(TOPIC_PREFIX)),
        KafkaClientSecurity.from(source),
        ReplicationSettings.from(source),
        TopicRetention.from(source),
        visitRules(source));
  }

  /**
   * The defaults with the given servers, registry and application id, a free HTTP port and a state
   * directory per application id under {@code java.io.tmpdir} (for tests and embedding).
   */
  public static StreamConfig defaults(String bootstrapServers, String registryUrl, String appId) {
    return from(ConfigSource.ofFlags(
            java.util.Map.of(
                BOOTSTRAP_SERVERS.key(), bootstrapServers,
                SCHEMA_REGISTRY_URL.key(), registryUrl,
                APPLICATION_ID.key(), appId,
                HTTP_PORT.key(), "0")))
        .withStateDir(Path.of(System.getProperty("java.io.tmpdir"), "oxbow-stream", appId));
  }

  /** A copy with another state directory. */
  public StreamConfig withStateDir(Path dir) {
    return new StreamConfig(
        bootstrapServers,
        schemaRegistryUrl,
        applicationId,
        dir,
        grace,
        attributionWindow,
        internalCidrs,
        exactlyOnce,
        commitInterval,
        uaCacheSize,
        threads,
        httpPort,
        topics,
        kafkaSecurity,
        replication,
        topicRetention,
        visits);
  }

  /** A copy with another processing guarantee. */
  public StreamConfig withExactlyOnce(boolean eos) {
    return new StreamConfig(
        bootstrapServers,
        schemaRegistryUrl,
        applicationId,
        stateDir,
        grace,
        attributionWindow,
        internalCidrs,
        eos,
        commitInterval,
        uaCacheSize,
        threads,
        httpPort,
        topics,
        kafkaSecurity,
        replication,
        topicRetention,
        visits);
  }

  /** A copy with another grace period. */
  public StreamConfig withGrace(Duration newGrace) {
    return new StreamConfig(
        bootstrapServers,
        schemaRegistryUrl,
        applicationId,
        stateDir,
        newGrace,
        attributionWindow,
        internalCidrs,
        exactlyOnce,
        commitInterval,
        uaCacheSize,
        threads,
        httpPort,
        topics,
        kafkaSecurity,
        replication,
        topicRetention,
        visits);
  }

  /**
   * The Kafka Streams properties: processing guarantee, explicit internal naming, the three
   * exception handlers, the dead-letter topic, read_committed input, and the client security.
   */
  public Properties streamsProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.dlq());
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetteringExceptionHandlers.Deserialization.class);
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetteringExceptionHandlers.Processing.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetteringExceptionHandlers.Production.class);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    p.put("schema.registry.url", schemaRegistryUrl);
    // unprefixed, so that every client of Kafka Streams gets them
    kafkaSecurity.applyTo(p);
    return p;
  }

  /** The visit rules of the deployment-wide {@code oxbow.visit-*} settings. */
  static VisitRules visitRules(ConfigSource source) {
    return new VisitRules(
        source.get(DeploymentSettings.VISIT_TIMEOUT),
        source.get(DeploymentSettings.VISIT_MAX_PAGE_VIEWS_PER_MINUTE));
  }

  private static List<Cidr> parseCidrs(String text) {
    return Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(Cidr::parse)
        .toList();
  }

  /**
   * The topic names the topology reads and writes (defaults from {@link TopicNames}).
   *
   * @param raw raw log lines
   * @param enriched enriched access-log events
   * @param dlq dead letters
   * @param orders orders
   * @param attributed attributed orders
   * @param geoip geo-IP ranges
   * @param speedViewPrefix prefix of the speed-view topics ({@code views.speed.})
   * @param visits closed visits ({@code visits})
   */
  public record Topics(
      String raw,
      String enriched,
      String dlq,
      String orders,
      String attributed,
      String geoip,
      String speedViewPrefix,
      String visits) {
    /** The contract's default names. */
    public static final Topics DEFAULT =
        new Topics(
            TopicNames.ACCESS_LOGS_RAW,
            TopicNames.ACCESS_LOGS_ENRICHED,
            TopicNames.ACCESS_LOGS_DLQ,
            TopicNames.ORDERS,
            TopicNames.ORDERS_ATTRIBUTED,
            TopicNames.REF_GEOIP,
            TopicNames.SPEED_VIEW_PREFIX,
            TopicNames.VISITS);

    /** These names with another dead-letter topic. */
    public Topics withDlq(String newDlq) {
      return new Topics(raw, enriched, newDlq, orders, attributed, geoip, speedViewPrefix, visits);
    }

    /** The speed-view topic of {@code view}. */
    public String speedView(String view) {
      return speedViewPrefix + view;
    }

    /** Every topic name with {@code prefix} in front (tests sharing one broker). */
    public Topics prefixed(String prefix) {
      return new Topics(
          prefix + raw,
          prefix + enriched,
          prefix + dlq,
          prefix + orders,
          prefix + attributed,
          prefix + geoip,
          prefix + speedViewPrefix,
          prefix + visits);
    }
  }

  /** A copy with other topic names. */
  public StreamConfig withTopics(Topics newTopics) {
    return new StreamConfig(
        bootstrapServers,
        schemaRegistryUrl,
        applicationId,
        stateDir,
        grace,
        attributionWindow,
        internalCidrs,
        exactlyOnce,
        commitInterval,
        uaCacheSize,
        threads,
        httpPort,
        newTopics,
        kafkaSecurity,
        replication,
        topicRetention,
        visits);
  }
}
