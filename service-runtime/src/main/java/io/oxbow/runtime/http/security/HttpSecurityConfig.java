package io.oxbow.runtime.http.security;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How one HTTP service is secured: its API keys, TLS, whether it may run without keys on a
 * non-loopback address, its management address and its per-key rate limit. Read from the settings
 * of {@link Settings} under the service's prefix ({@code ingest}, {@code serve}, {@code registry}).
 *
 * @param prefix the settings prefix, used in error messages
 * @param keys the accepted keys: the entries of {@code <prefix>.api-keys} plus those of the file
 *     {@code <prefix>.api-key-file} (default none: authentication off)
 * @param allowAnonymous start on a non-loopback address without keys ({@code
 *     <prefix>.allow-anonymous}, default false)
 * @param tlsCertificate PEM certificate chain ({@code <prefix>.tls-cert-file}; none: plain HTTP)
 * @param tlsKey PEM PKCS#8 key ({@code <prefix>.tls-key-file}; required with a certificate)
 * @param tlsReloadInterval how often the PEM files are checked for a change ({@code
 *     <prefix>.tls-reload-interval}, default 30s; 0: on restart only)
 * @param managementHost interface of the management port ({@code <prefix>.management-host}, default
 *     127.0.0.1)
 * @param managementPort a separate port for {@code /health/*} and {@code /metrics} ({@code
 *     <prefix>.management-port}; none: they are served on the API port)
 * @param rateLimit requests a second per key ({@code <prefix>.rate-limit}; 0: no limit)
 * @param rateBurst requests at once per key ({@code <prefix>.rate-burst})
 */
public record HttpSecurityConfig(
    String prefix,
    ApiKeyRing keys,
    boolean allowAnonymous,
    Optional<Path> tlsCertificate,
    Optional<Path> tlsKey,
    Duration tlsReloadInterval,
    String managementHost,
    Optional<Integer> managementPort,
    double rateLimit,
    int rateBurst) {

  /** Checks that TLS has both files. */
  public HttpSecurityConfig {
    if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
      throw new ConfigException(
          prefix + ".tls-cert-file and " + prefix + ".tls-key-file must be set together");
    }
  }

  /** No keys, no TLS, no rate limit, loopback only (tests and in-process use). */
  public static HttpSecurityConfig none(String prefix) {
    return new HttpSecurityConfig(
        prefix,
        ApiKeyRing.none(),
        false,
        Optional.empty(),
        Optional.empty(),
        Duration.ZERO,
        "127.0.0.1",
        Optional.empty(),
        0,
        1);
  }

  /** A copy with other keys (e.g. the key the demo generates). */
  public HttpSecurityConfig withKeys(ApiKeyRing other) {
    return new HttpSecurityConfig(
        prefix,
        other,
        allowAnonymous,
        tlsCertificate,
        tlsKey,
        tlsReloadInterval,
        managementHost,
        managementPort,
        rateLimit,
        rateBurst);
  }

  /** Whether the service serves HTTPS. */
  public boolean tls() {
    return tlsCertificate.isPresent();
  }

  /**
   * The security settings of one service.
   *
   * @param apiKeyFile {@code <prefix>.api-key-file}
   * @param apiKeys {@code <prefix>.api-keys}
   * @param allowAnonymous {@code <prefix>.allow-anonymous}
   * @param tlsCertFile {@code <prefix>.tls-cert-file}
   * @param tlsKeyFile {@code <prefix>.tls-key-file}
   * @param tlsReloadInterval {@code <prefix>.tls-reload-interval}
   * @param managementHost {@code <prefix>.management-host}
   * @param managementPort {@code <prefix>.management-port}
   * @param rateLimit {@code <prefix>.rate-limit}
   * @param rateBurst {@code <prefix>.rate-burst}
   */
  public record Settings(
      String prefix,
      Setting<Path> apiKeyFile,
      Setting<ApiKeyRing> apiKeys,
      Setting<Boolean> allowAnonymous,
      Setting<Path> tlsCertFile,
      Setting<Path> tlsKeyFile,
      Setting<Duration> tlsReloadInterval,
      Setting<String> managementHost,
      Setting<Integer> managementPort,
      Setting<Double> rateLimit,
      Setting<Integer> rateBurst) {

    /**
     * The settings under {@code prefix}.
     *
     * @param prefix e.g. {@code ingest}
     * @param defaultRate the default of {@code <prefix>.rate-limit} (0: no limit)
     * @param defaultBurst the default of {@code <prefix>.rate-burst}
     */
    public static Settings of(String prefix, double defaultRate, int defaultBurst) {
      String p = prefix + ".";
      return new Settings(
          prefix,
          Setting.path(
              p + "api-key-file",
              null,
              "File of hashed API keys (name:sha256hex:permission+permission per line), shared"
                  + " by ingest, serve and registry; none: no keys."),
          new Setting<>(
              p + "api-keys",
              "",
              "More hashed API keys, comma separated, in the key file's format.",
              ApiKeyRing::parse),
          Setting.bool(
              p + "allow-anonymous",
              false,
              "Start on a non-loopback address without API keys (anyone reaching it may call it)."),
          Setting.path(p + "tls-cert-file", null, "PEM certificate chain: serve HTTPS."),
          Setting.path(p + "tls-key-file", null, "PEM PKCS#8 private key of the certificate."),
          Setting.duration(
              p + "tls-reload-interval",
              "30s",
              "How often the PEM files are checked and reloaded on change (0: at restart)."),
          Setting.string(
              p + "management-host",
              "127.0.0.1",
              "Interface of the management port (/health/*, /metrics)."),
          new Setting<>(
              p + "management-port",
              null,
              "Separate port for /health/* and /metrics (none: served on the API port).",
              Settings::port),
          new Setting<>(
              p + "rate-limit",
              String.valueOf(defaultRate),
              "Requests a second per API key (429 past it; 0: no limit).",
              Settings::rate),
          Setting.integer(
              p + "rate-burst", defaultBurst, 1, 1_000_000, "Requests at once per key."));
    }

    /** Every setting, in documentation order. */
    public List<Setting<?>> all() {
      return List.of(
          apiKeyFile,
          apiKeys,
          allowAnonymous,
          tlsCertFile,
          tlsKeyFile,
          tlsReloadInterval,
          managementHost,
          managementPort,
          rateLimit,
          rateBurst);
    }

    /** Reads the settings; errors name the setting. */
    public HttpSecurityConfig read(ConfigSource source) {
      ApiKeyRing keys = source.get(apiKeys);
      Optional<Path> file = source.find(apiKeyFile);
      if (file.isPresent()) {
        try {
          keys = keys.plus(ApiKeyRing.load(file.get()));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(apiKeyFile.key() + ": " + e.getMessage());
        }
      }
      return new HttpSecurityConfig(
          prefix,
          keys,
          source.get(allowAnonymous),
          source.find(tlsCertFile),
          source.find(tlsKeyFile),
          source.get(tlsReloadInterval),
          source.get(managementHost),
          source.find(managementPort),
          source.get(rateLimit),
          source.get(rateBurst));
    }

    private static int port(String text) {
      try {
        int port = Integer.parseInt(text.trim());
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new IllegalArgumentException("expected a port 0..65535");
    }

    private static double rate(String text) {
      double value;
      try {
        value = Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected requests a second, e.g. 100 or 0.5", e);
      }
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("expected 0 or more requests a second");
      }
      return value;
    }
  }
}
