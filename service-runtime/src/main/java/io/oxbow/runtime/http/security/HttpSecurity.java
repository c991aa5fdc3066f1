package io.oxbow.runtime.http.security;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.oxbow.runtime.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.function.BiFunction;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secures one HTTP service: installed into its Javalin configuration by {@code
 * HttpService.Builder#security}, it
 *
 * <ol>
 *   <li>refuses to start on a non-loopback address without API keys unless {@code
 *       <prefix>.allow-anonymous} is set, saying why, and warns when keys would cross the network
 *       without TLS;
 *   <li>binds the API port with HTTPS when a certificate is configured ({@link TlsEndpoint}), and
 *       the management port ({@code /health/*} and {@code /metrics} only, plain HTTP) when one is;
 *   <li>refuses cross-site writes from browsers ({@link OriginCheck});
 *   <li>checks each request's key against the service's {@link AccessPolicy} ({@link Authorizer})
 *       and applies the per-key rate limit ({@link RateLimiter}).
 * </ol>
 *
 * <p>Without a management port, {@code /health/*} and {@code /metrics} stay open on the API port;
 * with one, the API port answers them 404 and the management port answers nothing else.
 */
public final class HttpSecurity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpSecurity.class);

  private final HttpSecurityConfig config;
  private final AccessPolicy policy;
  private final BiFunction<Integer, String, RuntimeException> refusal;
  private final String exposure;
  private final boolean otherAuthentication;
  private TlsEndpoint tls;
  private ServerConnector management;
  private Authorizer authorizer;
  private RateLimiter limiter;

  private HttpSecurity(Builder b) {
    this.config = b.config;
    this.policy = b.policy;
    this.refusal = b.refusal;
    this.exposure = b.exposure;
    this.otherAuthentication = b.otherAuthentication;
  }

  /** A builder for a service configured by {@code config} whose routes need {@code policy}. */
  public static Builder builder(HttpSecurityConfig config, AccessPolicy policy) {
    return new Builder(config, policy);
  }

  /** {@code https} with a certificate, else {@code http}. */
  public String scheme() {
    return config.tls() ? "https" : "http";
  }

  /** The configuration. */
  public HttpSecurityConfig config() {
    return config;
  }

  /**
   * Checks the exposure, loads the TLS certificate, adds the management connector and the
   * before-handlers. Called once, by the HTTP service, before it starts; the API port's connector
   * comes from {@link #connector}.
   *
   * @throws ConfigException when the service would serve a non-loopback address without keys
   */
  public void install(JavalinConfig javalin, String host, int port, MeterRegistry meters) {
    checkExposure(host);
    if (config.tls()) {
      tls =
          new TlsEndpoint(
              config.tlsCertificate().get(), config.tlsKey().get(), config.tlsReloadInterval());
    }
    config
        .managementPort()
        .ifPresent(
            managementPort ->
                javalin.jetty.addConnector(
                    (server, http) -> {
                      management =
                          new ServerConnector(
                              server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
                      management.setHost(config.managementHost());
                      management.setPort(managementPort);
                      return management;
                    }));
    if (config.rateLimit() > 0) {
      limiter = new RateLimiter(config.rateLimit(), config.rateBurst(), meters, System::nanoTime);
    }
    authorizer = new Authorizer(config.keys(), policy, refusal, "oxbow");
    javalin.routes.before(this::separateManagement);
    javalin.routes.before(new OriginCheck(refusal));
    javalin.routes.before(this::authorizeByPolicy);
  }

  /**
   * The API port's connector on {@code host:port}: HTTPS with the certificate when one is
   * configured, else plain HTTP. The HTTP service makes exactly one, when its server starts (after
   * {@link #install}), and applies its limits to it.
   */
  public ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
    if (tls != null) {
      return tls.connector(server, http, host, port);
    }
    ServerConnector plain =
        new ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
    plain.setHost(host);
    plain.setPort(port);
    return plain;
  }

  /**
   * Checks the request's key for {@code permission} and applies the rate limit; for handlers that
   * check the key themselves (their route is open in the policy).
   *
   * @return the request's key ({@link ApiKey#ANONYMOUS} without keys configured)
   */
  public ApiKey authorize(Context ctx, Permission permission) {
    if (authorizer == null) {
      throw new IllegalStateException("not installed");
    }
    ApiKey key = authorizer.authorize(ctx, permission);
    if (limiter != null) {
      limiter.acquire(key, ctx.ip());
    }
    return key;
  }

  /** The bound management port, or -1 without one. */
  public int managementPort() {
    return management == null ? -1 : management.getLocalPort();
  }

  private void authorizeByPolicy(Context ctx) {
    var needed = policy.required(ctx.method(), ctx.path());
    if (needed.isPresent()) {
      authorize(ctx, needed.get());
    }
  }

  private void separateManagement(Context ctx) {
    if (management == null) {
      return;
    }
    boolean onManagement = ctx.req().getLocalPort() == management.getLocalPort();
    if (onManagement != AccessPolicy.operational(ctx.path())) {
      throw refusal.apply(404, "no such endpoint on this port: " + ctx.path());
    }
  }

  private void checkExposure(String host) {
    if (loopback(host)) {
      return;
    }
    String p = config.prefix();
    if (config.keys().isEmpty() && !otherAuthentication) {
      if (!config.allowAnonymous()) {
        throw new ConfigException(
            p
                + ".host is "
                + host
                + ", which other machines can reach, and no API keys are configured ("
                + p
                + ".api-key-file): anyone who can reach the port could "
                + exposure
                + ". Configure keys, bind 127.0.0.1, or accept this explicitly with --allow-anonymous"
                + " ("
                + p
                + ".allow-anonymous=true).");
      }
      log.warn("{}: serving {} without API keys ({}.allow-anonymous=true)", p, host, p);
    }
    if (!config.tls()) {
      log.warn(
          "{}: serving {} without TLS: API keys and data cross the network in clear text (set {}"
              + ".tls-cert-file and {}.tls-key-file)",
          p,
          host,
          p,
          p);
    }
  }

  /** Whether {@code host} is a loopback address (or a name resolving to one). */
  public static boolean loopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Stops watching the TLS files. */
  @Override
  public void close() {
    if (tls != null) {
      tls.close();
    }
  }

  /** Options of an {@link HttpSecurity}. */
  public static final class Builder {
    private final HttpSecurityConfig config;
    private final AccessPolicy policy;
    private BiFunction<Integer, String, RuntimeException> refusal = Authorizer::apiException;
    private String exposure = "call its API";
    private boolean otherAuthentication;

    private Builder(HttpSecurityConfig config, AccessPolicy policy) {
      this.config = Objects.requireNonNull(config);
      this.policy = Objects.requireNonNull(policy);
    }

    /**
     * How refusals are thrown (the service's error shape); default an {@code ApiException} answered
     * as {@code {"error":"...","status":N}}.
     */
    public Builder refusal(BiFunction<Integer, String, RuntimeException> value) {
      this.refusal = Objects.requireNonNull(value);
      return this;
    }

    /**
     * What an anonymous caller could do, for the refusal to start, e.g. {@code "write into your
     * Kafka topics"}; default {@code "call its API"}.
     */
    public Builder exposure(String value) {
      this.exposure = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Whether the service authenticates requests some other way (the registry's single basic-auth
     * user), so that running beyond loopback without keys is not anonymous; default false.
     */
    public Builder otherAuthentication(boolean value) {
      this.otherAuthentication = value;
      return this;
    }

    /** The security, to hand to the HTTP service's builder. */
    public HttpSecurity build() {
      return new HttpSecurity(this);
    }
  }
}
