package io.oxbow.registry.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Gauge;
import io.oxbow.registry.client.SchemaRegistryException;
import io.oxbow.runtime.http.HttpService;
import io.oxbow.runtime.http.security.HttpSecurity;
import io.oxbow.runtime.http.security.HttpSecurityConfig;
import io.oxbow.runtime.kafka.ReplicationSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible Schema Registry server: the REST API of {@link RegistryRoutes} over state
 * kept in a compacted Kafka topic ({@code _schemas}), plus {@code /health/live}, {@code
 * /health/ready} (ready once the topic has been read to its end) and {@code /metrics} (Prometheus).
 * Several instances may share one topic; they never give one id to two schemas.
 *
 * <pre>{@code
 * try (SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrapServers, 0)) {
 *   String url = registry.url(); // http://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>Defaults: topic {@code _schemas}, host 127.0.0.1, global compatibility BACKWARD, no
 * authentication, Kafka timeout 30 s, subjects of at most 255 characters and schemas of at most 1
 * MiB ({@link RegistryLimits}). Request bodies over 16 MiB get 413. Errors the HTTP server answers
 * itself (a malformed path) are JSON in the registry's format too ({@link JsonErrorHandler}). With
 * API keys ({@link Builder#security}) reads need {@code read} and writes, configuration and deletes
 * {@code admin} ({@link RegistryAccess}); Confluent clients send a key as the password of basic
 * auth ({@code basic.auth.user.info=NAME:KEY}).
 */
public final class SchemaRegistryServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);

  /** Largest accepted request body. */
  public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

  private final KafkaRegistryLog store;
  private final RegistryService service;
  private final HttpService http;

  private SchemaRegistryServer(Builder b) {
    this.store =
        new KafkaRegistryLog(
            b.bootstrapServers, b.topic, b.kafkaProps, b.replication, b.kafkaTimeout);
    try {
      this.service = new RegistryService(store, b.defaultLevel, b.limits);
      RegistryRoutes routes = new RegistryRoutes(service);
      this.http =
          HttpService.builder("schema-registry")
              .host(b.host)
              .port(b.port)
              .stopTimeout(Duration.ofSeconds(2))
              .security(
                  HttpSecurity.builder(b.security, new RegistryAccess())
                      .refusal(
                          (status, message) -> new SchemaRegistryException(status, status, message))
                      .exposure("register, change and permanently delete schemas")
                      .otherAuthentication(b.basicAuth.isPresent())
                      .build())
              .readiness("schemas-topic", timeout -> checkReady(b.topic))
              .routes(routes::register)
              .configure(config -> configure(config, b.basicAuth))
              .build();
      Gauge.builder("schema.registry.schemas", store.state(), RegistryState::schemaCount)
          .description("Distinct schema ids known")
          .register(http.meterRegistry());
      Gauge.builder("schema.registry.subjects", store.state(), s -> s.subjects(false).size())
          .description("Live subjects")
          .register(http.meterRegistry());
      http.start();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    log.info("schema registry on {} (topic {})", url(), b.topic);
  }

  /** Starts a registry on the Kafka cluster with the defaults, on a port (0: a free one). */
  public static SchemaRegistryServer start(String bootstrapServers, int port) {
    return builder(bootstrapServers).port(port).start();
  }

  /** A builder with the defaults of the class. */
  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /** The base URL, {@code http://127.0.0.1:PORT} when bound to all interfaces. */
  public String url() {
    return http.baseUrl();
  }

  /** The bound port. */
  public int port() {
    return http.port();
  }

  /** The registry itself, for clients in the same process ({@code LocalSchemaRegistryClient}). */
  public RegistryService service() {
    return service;
  }

  private void checkReady(String topic) {
    if (!service.ready()) {
      throw new IllegalStateException("the " + topic + " topic has not been read to its end");
    }
  }

  private static void configure(JavalinConfig config, Optional<String> basicAuth) {
    config.http.maxRequestSize = MAX_BODY_BYTES;
    config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    config.router.ignoreTrailingSlashes = true;
    config.routes.before(ctx -> guard(ctx, basicAuth));
    config.routes.exception(
        SchemaRegistryException.class,
        (e, ctx) -> RegistryRoutes.error(ctx, e.status(), e.errorCode(), e.getMessage()));
    config.routes.exception(
        HttpResponseException.class,
        (e, ctx) -> RegistryRoutes.error(ctx, e.getStatus(), e.getStatus(), httpMessage(e, ctx)));
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("{} {} failed", ctx.method(), ctx.path(), e);
          RegistryRoutes.error(ctx, 500, 500, "Internal error; see the registry log");
        });
    for (String path : new String[] {"/*"}) {
      config.routes.get(path, SchemaRegistryServer::notFound);
      config.routes.post(path, SchemaRegistryServer::notFound);
      config.routes.put(path, SchemaRegistryServer::notFound);
      config.routes.delete(path, SchemaRegistryServer::notFound);
    }
  }

  private static String httpMessage(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 413 -> "Request body larger than 16 MiB";
      case 404 -> "HTTP 404 Not Found: " + ctx.path();
      case 405 -> "HTTP 405 Method Not Allowed";
      default -> "HTTP " + e.getStatus() + " " + e.getMessage();
    };
  }

  private static void notFound(Context ctx) {
    RegistryRoutes.error(ctx, 404, 404, "HTTP 404 Not Found: " + ctx.path());
  }

  private static void guard(Context ctx, Optional<String> basicAuth) {
    String length = ctx.header("Content-Length");
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY_BYTES) {
      throw new SchemaRegistryException(413, 413, "Request body larger than 16 MiB");
    }
    if (basicAuth.isEmpty() || ctx.path().startsWith("/health/")) {
      return;
    }
    String expected =
        "Basic "
            + Base64.getEncoder().encodeToString(basicAuth.get().getBytes(StandardCharsets.UTF_8));
    String given = Optional.ofNullable(ctx.header("Authorization")).orElse("");
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
      ctx.header("WWW-Authenticate", "Basic realm=\"schema-registry\"");
      throw new SchemaRegistryException(401, 401, "Unauthorized");
    }
  }

  /** Stops serving, then stops reading and writing the topic. */
  @Override
  public void close() {
    try {
      http.close();
    } finally {
      store.close();
    }
  }

  /** Options of a {@link SchemaRegistryServer}. */
  public static final class Builder {
    private final String bootstrapServers;
    private String topic = "_schemas";
    private String host = "127.0.0.1";
    private HttpSecurityConfig security = HttpSecurityConfig.none("registry");
    private int port = 8081;
    private Optional<String> basicAuth = Optional.empty();
    private CompatibilityLevel defaultLevel = CompatibilityLevel.DEFAULT;
    private Duration kafkaTimeout = Duration.ofSeconds(30);
    private RegistryLimits limits = RegistryLimits.DEFAULTS;
    private final Map<String, Object> kafkaProps = new HashMap<>();
    private ReplicationSettings replication = ReplicationSettings.AUTOMATIC;

    private Builder(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    /** The storage topic; default {@code _schemas}. */
    public Builder topic(String value) {
      this.topic = value;
      return this;
    }

    /** The interface to bind; default {@code 127.0.0.1}. */
    public Builder host(String value) {
      this.host = value;
      return this;
    }

    /** The port; default 8081, 0 for a free one. */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** Require HTTP basic auth with {@code user:password} (health endpoints stay open). */
    public Builder basicAuth(String userColonPassword) {
      if (!userColonPassword.contains(":")) {
        throw new IllegalArgumentException("basic auth must be user:password");
      }
      this.basicAuth = Optional.of(userColonPassword);
      return this;
    }

    /**
     * API keys, TLS, management port and rate limit ({@link RegistryCommand#SECURITY}); default
     * none: no keys (allowed on loopback only), plain HTTP.
     */
    public Builder security(HttpSecurityConfig value) {
      this.security = value;
      return this;
    }

    /** The global compatibility level while none is set; default BACKWARD. */
    public Builder defaultCompatibility(CompatibilityLevel value) {
      this.defaultLevel = value;
      return this;
    }

    /** Longest subject and largest schema accepted; default {@link RegistryLimits#DEFAULTS}. */
    public Builder limits(RegistryLimits value) {
      this.limits = java.util.Objects.requireNonNull(value);
      return this;
    }

    /**
     * Replication of the storage topic when it is created; default {@link
     * ReplicationSettings#AUTOMATIC} (from the cluster's size).
     */
    public Builder replication(ReplicationSettings value) {
      this.replication = value;
      return this;
    }

    /** How long to wait for Kafka at start and per write; default 30 s. */
    public Builder kafkaTimeout(Duration value) {
      this.kafkaTimeout = value;
      return this;
    }

    /** An extra Kafka client property (security settings, for example). */
    public Builder kafkaProperty(String key, Object value) {
      kafkaProps.put(key, value);
      return this;
    }

    /**
     * Reads the topic to its end and starts serving.
     *
     * @throws IllegalArgumentException when both basic auth and API keys are configured
     */
    public SchemaRegistryServer start() {
      if (basicAuth.isPresent() && !security.keys().isEmpty()) {
        throw new IllegalArgumentException(
            "registry.basic-auth and API keys (registry.api-key-file) exclude each other: with keys,"
                + " Confluent clients send basic.auth.user.info=NAME:KEY");
      }
      return new SchemaRegistryServer(this);
    }
  }
}
