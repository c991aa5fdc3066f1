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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.http.BadMessageException;
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
 * path 404, wrong method on a known path 405, a request cut off by the server's limits (a body
 * arriving too slowly, a connection idle mid-request) 408, a thrown {@link ApiException} its own
 * status (with {@code errors} and headers), anything else 500 (logged at ERROR with the stack
 * trace). Before an error goes out, what the handler left unread of the request body is dropped
 * within bounds (see {@link UnreadBody}); past them the answer closes the connection.
 *
 * <p>Every connection and request is bounded by the {@link HttpLimits} (default {@link
 * HttpLimits#fromEnvironment()}): request threads, open connections, idle timeout, minimum request
 * data rate, request header size, error drain, and how long a readiness result is reused.
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
 * picks a free port), stop timeout 10 s, readiness timeout 2 s, {@link
 * HttpLimits#fromEnvironment()}, a fresh meter registry with JVM metrics bound.
 */
public final class HttpService implements AutoCloseable {
  /** Media type of every JSON body. */
  public static final String JSON = "application/json";

  private static final Logger log = LoggerFactory.getLogger(HttpService.class);
  private static final String ERROR_WRITTEN = "oxbow.error-written";

  private static final String LIMITS = "oxbow.http-limits";

  private final Builder builder;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Readiness readiness;
  private Javalin javalin;

  private HttpService(Builder builder) {
    this.builder = builder;
    this.readiness =
        new Readiness(
            builder.checks, builder.readinessTimeout, builder.limits.readinessCacheTime());
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
    javalin.start();
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
    // one connector on the API port, with the limits; HTTPS when the security has a certificate
    JettyLimits.apply(
        config.jetty,
        builder.name,
        builder.host,
        builder.port,
        builder.limits,
        builder.security == null ? null : builder.security::connector);
    config.requestLogger.http(this::recordRequest);
    RoutesConfig routes = config.routes;
    HttpLimits limits = builder.limits;
    routes.before(ctx -> ctx.attribute(LIMITS, limits));
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
    // a body cut off by the limits (too slow, malformed framing): its own 4xx, even in services
    // that map Exception themselves
    routes.exception(BadMessageException.class, this::badMessage);
    routes.error(404, ctx -> errorIfUnwritten(ctx, 404, "no such endpoint: " + ctx.path()));
    routes.error(
        408, ctx -> errorIfUnwritten(ctx, 408, "the request was cut off: it arrived too slowly"));
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

  private void badMessage(BadMessageException e, Context ctx) {
    log.debug("{}: {} {} cut off: {}", builder.name, ctx.method(), ctx.path(), e.toString());
    int status = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 400;
    writeError(
        ctx, status, "the request was cut off: " + JettyLimits.reason(e), List.of(), Map.of());
  }

  private void unexpected(Exception e, Context ctx) {
    if (JettyLimits.cutOff(e)) {
      log.debug("{}: {} {} cut off: {}", builder.name, ctx.method(), ctx.path(), e.toString());
      writeError(
          ctx, 408, "the request was cut off: " + JettyLimits.reason(e), List.of(), Map.of());
      return;
    }
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
    startErrorAnswer(ctx, status);
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
   * Readies {@code ctx} for an error answer that its caller writes in its own shape (as the schema
   * registry does): drops the unread request body within the {@link HttpLimits} (see {@link
   * UnreadBody}) and marks the answer written, so the 404 and 405 error pages leave it alone. Set
   * the status first: a 401 or 403 reads none of the body.
   */
  public static void startErrorAnswer(Context ctx) {
    startErrorAnswer(ctx, ctx.statusCode());
  }

  /**
   * Like {@link #startErrorAnswer(Context)} for an answer with {@code status} (401 and 403 read
   * none of the unread body).
   */
  public static void startErrorAnswer(Context ctx, int status) {
    HttpLimits limits = ctx.attribute(LIMITS);
    UnreadBody.drop(ctx, status, limits == null ? HttpLimits.defaults() : limits);
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
  }

  /** Options of an {@link HttpService}. */
  public static final class Builder {
    private final String name;
    private String host = "127.0.0.1";
    private int port = 8080;
    private HttpSecurity security;
    private Duration stopTimeout = Duration.ofSeconds(10);
    private Duration readinessTimeout = Duration.ofSeconds(2);
    private HttpLimits limits;
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

    /** The connection and request limits; default {@link HttpLimits#fromEnvironment()}. */
    public Builder limits(HttpLimits httpLimits) {
      this.limits = Objects.requireNonNull(httpLimits);
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
      if (limits == null) {
        limits = HttpLimits.fromEnvironment();
      }
      return new HttpService(this);
    }
  }
}
