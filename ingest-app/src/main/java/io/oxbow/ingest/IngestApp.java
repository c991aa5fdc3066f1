package io.oxbow.ingest;

import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.registry.serde.AvroSerializer;
import io.oxbow.runtime.http.HttpService;
import io.oxbow.runtime.http.KafkaReadinessCheck;
import io.oxbow.runtime.http.ServiceMetrics;
import io.oxbow.runtime.http.security.AccessPolicy;
import io.oxbow.runtime.http.security.HttpSecurity;
import io.oxbow.runtime.http.security.HttpSecurityConfig;
import io.oxbow.runtime.kafka.KafkaStartCheck;
import io.oxbow.runtime.lifecycle.Lifecycle;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest app, startable in-process (tests, the demo) or by {@code oxbow ingest}.
 *
 * <p>Serves {@code POST /v1/logs} (to the logs topic, default {@code access-logs.raw}, as {@link
 * RawLogLine}) and {@code POST /v1/events/orders} (to {@code orders}, as {@link Order}), plus
 * {@code /health/live}, {@code /health/ready} (Kafka reachable) and {@code /metrics}. A request is
 * answered {@code 200 {"accepted": N}} only after its records committed in one Kafka transaction;
 * see {@code docs/ingest.md} for every status code.
 *
 * <pre>{@code
 * IngestApp app = IngestApp.builder(IngestConfig.defaults(bootstrap)) // registry at :8081
 *     .build()
 *     .start();
 * String url = app.baseUrl(); // http://127.0.0.1:PORT
 * app.close();
 * }</pre>
 */
public final class IngestApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestApp.class);

  private final IngestConfig config;
  private final HttpSecurityConfig securityConfig;
  private final Serializer<RawLogLine> logSerializer;
  private final Serializer<Order> orderSerializer;
  private final Clock clock;
  private final Duration startTimeout;
  private final Function<Map<String, Object>, Producer<byte[], byte[]>> producers;
  private Lifecycle lifecycle;
  private HttpService http;
  private InflightBudget budget;
  private HttpSecurity security;

  private IngestApp(Builder builder) {
    this.config = builder.config;
    this.securityConfig = builder.security;
    this.logSerializer = builder.logSerializer;
    this.orderSerializer = builder.orderSerializer;
    this.clock = builder.clock;
    this.startTimeout = builder.startTimeout;
    this.producers = builder.producers;
  }

  /** A builder for an app with this configuration. */
  public static Builder builder(IngestConfig config) {
    return new Builder(config);
  }

  /**
   * Connects to Kafka (creating its missing topics and reading the idempotency topic to the end),
   * starts the transactional writers and the HTTP server.
   *
   * @throws IllegalStateException when Kafka cannot be reached within the start timeout (30 s)
   * @throws io.oxbow.runtime.config.ConfigException naming the setting when Kafka refuses the
   *     client's credentials or the client does not trust the broker's certificate
   */
  public synchronized IngestApp start() throws InterruptedException {
    if (http != null) {
      return this;
    }
    Lifecycle parts = Lifecycle.create("ingest");
    try {
      Map<String, Object> client = new HashMap<>();
      client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
      config.kafkaSecurity().applyTo(client);
      KafkaStartCheck.verify(
          config.bootstrapServers(), IngestConfig.BOOTSTRAP_SERVERS.key(), config.kafkaSecurity());
      IngestTopics.ensure(client, config, startTimeout);
      IdempotencyStore store =
          parts.register(
              new IdempotencyStore(
                  client,
                  config.idempotencyTopic(),
                  config.idempotencyWindow(),
                  config.idempotencyMaxKeys(),
                  config.limits().idempotencyMaxKeysPerClient(),
                  clock));
      store.start(startTimeout);
      TransactionalWriter writer =
          parts.register(
              new TransactionalWriter(
                      client,
                      config.transactionalIdPrefix(),
                      config.writers(),
                      config.ackTimeout(),
                      producers)
                  .start());
      // the handlers check the key (permission by endpoint) and count refusals in their metrics
      security =
          HttpSecurity.builder(securityConfig, AccessPolicy.OPEN)
              .exposure("write into your Kafka topics")
              .build();
      budget = new InflightBudget(config.maxInflightBytes());
      ServiceMetrics serviceMetrics = parts.register(ServiceMetrics.create("ingest"));
      IngestMetrics metrics = new IngestMetrics(serviceMetrics.registry(), budget, store);
      KafkaReadinessCheck kafka = parts.register(KafkaReadinessCheck.of(client));
      IngestHandler logs =
          new IngestHandler(
              new LogRecords(
                  config.logsTopic(),
                  serializer(logSerializer, parts),
                  config.maxLineBytes(),
                  config.limits(),
                  clock),
              config,
              security,
              budget,
              writer,
              store,
              metrics,
              clock);
      IngestHandler orders =
          new IngestHandler(
              new OrderRecords(
                  config.ordersTopic(), serializer(orderSerializer, parts), config.limits()),
              config,
              security,
              budget,
              writer,
              store,
              metrics,
              clock);
      http =
          parts.register(
              HttpService.builder("ingest")
                  .host(config.host())
                  .port(config.port())
                  .metrics(serviceMetrics)
                  .security(security)
                  .readiness("kafka", kafka)
                  .routes(
                      r -> {
                        r.post("/v1/logs", logs);
                        r.post("/v1/events/orders", orders);
                      })
                  .build()
                  .start());
    } catch (RuntimeException | InterruptedException e) {
      parts.close();
      http = null;
      throw e;
    }
    lifecycle = parts;
    if (securityConfig.keys().isEmpty()) {
      log.warn(
          "ingest: no API keys configured (ingest.api-key-file): requests are not authenticated");
    }
    return this;
  }

  /**
   * The given serializer, or the registry's Avro serializer (Confluent wire format, schemas
   * registered on first use) at {@code ingest.schema-registry-url}.
   */
  private <T> Serializer<T> serializer(Serializer<T> given, Lifecycle parts) {
    if (given != null) {
      return given;
    }
    AvroSerializer avro = new AvroSerializer();
    avro.configure(
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            config.schemaRegistryUrl(),
            AvroSerdeConfig.AUTO_REGISTER_SCHEMAS,
            true),
        false);
    parts.register(avro::close);
    return avro::serialize;
  }

  /** {@code http://127.0.0.1:PORT} (or the bound host). */
  public String baseUrl() {
    return requireStarted().baseUrl();
  }

  /** The bound HTTP port. */
  public int port() {
    return requireStarted().port();
  }

  /**
   * The most request bytes held in memory at once since start (for tests and capacity planning).
   */
  public long peakInflightBytes() {
    requireStarted();
    return budget.peak();
  }

  /** The bound management port ({@code ingest.management-port}), or -1 without one. */
  public int managementPort() {
    requireStarted();
    return security.managementPort();
  }

  /** The configuration this app runs with. */
  public IngestConfig config() {
    return config;
  }

  private HttpService requireStarted() {
    if (http == null) {
      throw new IllegalStateException("the ingest app is not started");
    }
    return http;
  }

  /** Stops serving, lets in-flight requests finish, closes the producers; bounded (10 s). */
  @Override
  public synchronized void close() {
    if (lifecycle != null) {
      lifecycle.close();
      lifecycle = null;
      http = null;
    }
  }

  /** Options of an {@link IngestApp}. */
  public static final class Builder {
    private final IngestConfig config;
    private HttpSecurityConfig security = HttpSecurityConfig.none("ingest");
    private Serializer<RawLogLine> logSerializer;
    private Serializer<Order> orderSerializer;
    private Clock clock = Clock.systemUTC();
    private Duration startTimeout = Duration.ofSeconds(30);
    private Function<Map<String, Object>, Producer<byte[], byte[]>> producers = KafkaProducer::new;

    private Builder(IngestConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Serializer of log lines; default: the registry's Avro serializer at {@code
     * ingest.schema-registry-url}.
     */
    public Builder logSerializer(Serializer<RawLogLine> serializer) {
      this.logSerializer = serializer;
      return this;
    }

    /**
     * Serializer of orders; default: the registry's Avro serializer at {@code
     * ingest.schema-registry-url}.
     */
    public Builder orderSerializer(Serializer<Order> serializer) {
      this.orderSerializer = serializer;
      return this;
    }

    /**
     * API keys, TLS, management port and rate limit ({@link IngestConfig#SECURITY}); default none:
     * no keys (anonymous posts, allowed on loopback only), plain HTTP, no rate limit.
     */
    public Builder security(HttpSecurityConfig value) {
      this.security = Objects.requireNonNull(value);
      return this;
    }

    /** Clock of received times and the idempotency window; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** How long {@link IngestApp#start()} may wait for Kafka; default 30 s. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * Where the transactional writers' producers come from (given their configuration); default
     * {@link KafkaProducer}. For tests that make Kafka misbehave.
     */
    Builder producers(Function<Map<String, Object>, Producer<byte[], byte[]>> factory) {
      this.producers = Objects.requireNonNull(factory);
      return this;
    }

    /** The app, not yet started. */
    public IngestApp build() {
      return new IngestApp(this);
    }
  }
}
