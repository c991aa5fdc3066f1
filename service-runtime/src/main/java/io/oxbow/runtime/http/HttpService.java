package io.oxbow.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.oxbow.runtime.http.security.HttpSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server (Javalin on Jetty) with the operational endpoints every Oxbow service exposes,
 * plus the service's own routes:
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 {@code {"status":"UP"}} while the process serves requests;
 *   <li>{@code GET /health/ready}: runs every {@link ReadinessCheck} in parallel (each bounded by
 *       the readiness timeout, default 2 s): 200 {@code {"status":"UP","checks":{"kafka":
 *       {"status":"UP"}}}}, or 503 with {@code "status":"DOWN"} and the failing check's {@code
 *       error};
 *   <li>{@code GET /metrics}: Prometheus text exposition of the service's {@link
 *       PrometheusMeterRegistry} (JVM memory, GC, threads, CPU, uptime and {@code
 *       http.server.requests} by method, route and status are bound by {@link ServiceMetrics}).
 * </ul>
 *
 * <p>Every error is a JSON body {@code {"error": "...", "status": N}}, never a stack trace: unknown
 * path 404, wrong method on a known path 405, a thrown {@link ApiException} its own status (with
 * {@code errors} and headers), anything else 500 (logged at ERROR with the stack trace). Before an
 * error goes out, what the handler left unread of the request body is read and dropped (up to
 * {@link #DISCARD_LIMIT_BYTES}): answering a client that is still sending and then closing the
 * connection would reset it, and the client would lose the answer.
 *
 * <pre>{@code
 * try (HttpService http = HttpService.builder("ingest")
 *     .port(8080)
 *     .readiness("kafka", KafkaReadinessCheck.of(bootstrap))
 *     .routes(r -> r.post("/v1/logs", ctx -> ctx.json(Map.of("accepted", 1))))
 *     .build()
 *     .start()) {
 *   log.info("serving on {}", http.baseUrl());
 * }
 * }</pre>
 *
 * <p>Defaults: host 127.0.0.1 (loopback only), no {@link Builder#security security}, port 8080 (0
 * picks a free port), stop timeout 10 s, a fresh meter registry with JVM metrics bound.
 */
public final class HttpService implements AutoCloseable {
  /** Media type of every JSON body. */
  public static final String JSON = "application/json";

  private static final Logger log = LoggerFactory.getLogger(HttpService.class);
  private static final String ERROR_WRITTEN = "oxbow.error-written";

  /**
   * How much of an unread request body an error answer reads and drops first: 32 MiB. A longer
   * declared body is not read, and its client may see the connection reset instead of the answer.
   */
  public static final long DISCARD_LIMIT_BYTES = 32L * 1024 * 1024;

  private final Builder builder;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Readiness readiness;
  private Javalin javalin;

  private HttpService(Builder builder) {
    this.builder = builder;
    this.readiness = new Readiness(builder.checks, builder.readinessTimeout);
  }

  /** A builder for the service called {@code name} (used in logs and metric tags). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Binds the port and starts serving.
   *
   * @return this service, started
   * @throws IllegalStateException when the port cannot be bound
   */
  public synchronized HttpService start() {
    if (javalin != null) {
      return this;
    }
    javalin = Javalin.create(this::configure);
    javalin.start(builder.host, builder.port);
    log.info("{}: HTTP on {}", builder.name, baseUrl());
    return this;
  }

  /** The bound port (the real one when 0 was asked for). */
  public int port() {
    if (javalin == null) {
      throw new IllegalStateException("not started");
    }
    return javalin.port();
  }

  /**
   * {@code http://127.0.0.1:PORT} when bound to all interfaces, else {@code http://host:PORT};
   * {@code https} when the {@link Builder#security security} serves TLS.
   */
  public String baseUrl() {
    String host = "0.0.0.0".equals(builder.host) ? "127.0.0.1" : builder.host;
    String scheme = builder.security == null ? "http" : builder.security.scheme();
    return scheme + "://" + host + ":" + port();
  }

  /** The registry served on {@code /metrics}; services add their own meters to it. */
  public PrometheusMeterRegistry meterRegistry() {
    return builder.metrics.registry();
  }

  /**
   * Stops accepting requests, lets in-flight ones finish for up to the stop timeout, then closes
   * the server. Returns within the stop timeout plus one second whatever the handlers do.
   */
  @Override
  public synchronized void close() {
    if (javalin == null) {
      return;
    }
    Javalin stopping = javalin;
    javalin = null;
    Thread stopper = new Thread(stopping::stop, builder.name + "-http-stop");
    stopper.setDaemon(true);
    stopper.start();
    try {
      stopper.join(builder.stopTimeout.toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopper.isAlive()) {
      log.warn("{}: HTTP server did not stop within {}", builder.name, builder.stopTimeout);
    }
    readiness.close();
    if (builder.security != null) {
      builder.security.close();
    }
  }

  private void configure(JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.prefer405over404 = true;
    config.jsonMapper(new JavalinJackson(mapper, false));
    long stopMs = builder.stopTimeout.toMillis();
    config.jetty.modifyServer(server -> server.setStopTimeout(stopMs));
    config.requestLogger.http(this::recordRequest);
    RoutesConfig routes = config.routes;
    routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
    routes.get("/health/ready", readiness::handle);
    routes.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(meterRegistry().scrape()));
    routes.exception(ApiException.class, this::apiError);
    routes.exception(HttpResponseException.class, this::responseException);
    routes.exception(Exception.class, this::unexpected);
    routes.error(404, ctx -> errorIfUnwritten(ctx, 404, "no such endpoint: " + ctx.path()));
    routes.error(
        405,
        ctx ->
            errorIfUnwritten(
                ctx, 405, "method " + ctx.method() + " is not allowed on " + ctx.path()));
    if (builder.security != null) {
      builder.security.install(config, builder.host, builder.port, meterRegistry());
    }
    builder.routes.accept(routes);
    builder.configurers.forEach(c -> c.accept(config));
  }

  private void recordRequest(Context ctx, Float ms) {
    String route;
    try {
      var endpoint = ctx.endpoints().lastHttpEndpoint();
      route = endpoint == null ? "unmatched" : endpoint.path;
    } catch (RuntimeException notMatched) {
      route = "unmatched";
    }
    Timer.builder("http.server.requests")
        .description("HTTP requests served, by method, route and status")
        .tags("method", ctx.method().name(), "route", route, "status", ctx.statusCode() + "")
        .register(meterRegistry())
        .record((long) (ms * 1000), TimeUnit.MICROSECONDS);
  }

  private void apiError(ApiException e, Context ctx) {
    writeError(ctx, e.status(), e.getMessage(), e.errors(), e.headers());
  }

  private void responseException(HttpResponseException e, Context ctx) {
    String message =
        switch (e.getStatus()) {
          case 404 -> "no such endpoint: " + ctx.path();
          case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
          default -> e.getMessage();
        };
    writeError(ctx, e.getStatus(), message, List.of(), Map.of());
  }

  private void unexpected(Exception e, Context ctx) {
    log.error("{}: {} {} failed", builder.name, ctx.method(), ctx.path(), e);
    writeError(ctx, 500, "internal error; see the server log", List.of(), Map.of());
  }

  private void errorIfUnwritten(Context ctx, int status, String message) {
    if (ctx.attribute(ERROR_WRITTEN) == null) {
      writeError(ctx, status, message, List.of(), Map.of());
    }
  }

  /**
   * Writes the JSON error body {@code {"error":message,"status":status,"errors":[...]}} ({@code
   * errors} only when not empty) with extra headers. Handlers that answer an error themselves use
   * this so every error looks the same.
   */
  public static void writeError(
      Context ctx,
      int status,
      String message,
      List<ApiException.FieldError> errors,
      Map<String, String> headers) {
    startErrorAnswer(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message == null ? "error" : message);
    body.put("status", status);
    if (!errors.isEmpty()) {
      body.put("errors", errors);
    }
    headers.forEach(ctx::header);
    ctx.status(status).json(body);
  }

  /**
   * Readies {@code ctx} for an error answer its caller writes in its own shape (as the schema
   * registry does): drops the unread request body (see {@link #discardUnreadBody}) and marks the
   * answer written, so the 404 and 405 error pages leave it alone. {@link #writeError} calls it.
   */
  public static void startErrorAnswer(Context ctx) {
    discardUnreadBody(ctx);
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
  }

  /**
   * Reads and drops what is left of the request body, so that the client has sent all of it when
   * the answer goes out and the connection stays usable. Does nothing for a declared length over
   * {@link #DISCARD_LIMIT_BYTES}, and stops there for a body of unknown length.
   */
  private static void discardUnreadBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared == 0 || declared > DISCARD_LIMIT_BYTES) {
      return;
    }
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] scratch = new byte[64 * 1024];
      long discarded = 0;
      for (int n = in.read(scratch); n >= 0; n = in.read(scratch)) {
        discarded += n;
        if (discarded >= DISCARD_LIMIT_BYTES) {
          return;
        }
      }
    } catch (IOException | IllegalStateException e) {
      // the client went away or the handler read the body as text: nothing left to drop
      log.debug("{} {}: request body not discarded: {}", ctx.method(), ctx.path(), e.toString());
    }
  }

  /** Options of an {@link HttpService}. */
  public static final class Builder {
    private final String name;
    private String host = "127.0.0.1";
    private int port = 8080;
    private HttpSecurity security;
    private Duration stopTimeout = Duration.ofSeconds(10);
    private Duration readinessTimeout = Duration.ofSeconds(2);
    private final Map<String, ReadinessCheck> checks = new LinkedHashMap<>();
    private ServiceMetrics metrics;
    private Consumer<RoutesConfig> routes = r -> {};
    private final List<Consumer<JavalinConfig>> configurers = new java.util.ArrayList<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** Interface to bind; default {@code 127.0.0.1} (loopback only). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Port to bind; default 8080, 0 for a free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * API keys, TLS, management port, origin check and rate limit of the service (see {@link
     * HttpSecurity}); default none: plain HTTP, every route open.
     */
    public Builder security(HttpSecurity value) {
      this.security = Objects.requireNonNull(value);
      return this;
    }

    /** Adds a readiness check reported under {@code name} on {@code /health/ready}. */
    public Builder readiness(String checkName, ReadinessCheck check) {
      checks.put(Objects.requireNonNull(checkName), Objects.requireNonNull(check));
      return this;
    }

    /** How long each readiness check may take; default 2 s. */
    public Builder readinessTimeout(Duration timeout) {
      this.readinessTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** How long {@link HttpService#close()} lets in-flight requests finish; default 10 s. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** The metrics to serve; default {@link ServiceMetrics#create(String)} with this name. */
    public Builder metrics(ServiceMetrics serviceMetrics) {
      this.metrics = Objects.requireNonNull(serviceMetrics);
      return this;
    }

    /** The service's own routes, e.g. {@code r -> r.post("/v1/logs", handler)}. */
    public Builder routes(Consumer<RoutesConfig> serviceRoutes) {
      this.routes = Objects.requireNonNull(serviceRoutes);
      return this;
    }

    /** Any further Javalin configuration, applied after Oxbow's defaults. */
    public Builder configure(Consumer<JavalinConfig> configurer) {
      configurers.add(Objects.requireNonNull(configurer));
      return this;
    }

    /** The service, not yet started. */
    public HttpService build() {
      if (metrics == null) {
        metrics = ServiceMetrics.create(name);
      }
      return new HttpService(this);
    }
  }
}
