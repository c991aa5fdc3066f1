package io.oxbow.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * One configuration setting: its key (as in a properties file, e.g. {@code ingest.port}), the
 * environment variable derived from it ({@code OXBOW_INGEST_PORT}), its default, a description for
 * the docs, and how its text becomes a typed value.
 *
 * <p>Settings are declared as constants of a service's configuration record and read through {@link
 * ConfigSource#get(Setting)}, which names the setting in any error.
 *
 * <p>A service's setting may override a deployment-wide one ({@link #withFallback}): {@code
 * ingest.bootstrap-servers} when set, else {@code oxbow.bootstrap-servers} (see {@link
 * DeploymentSettings}), else the deployment-wide default.
 *
 * @param key properties key, lower case with dots
 * @param defaultValue the default as text ({@code null}: required, absent, or the fallback's)
 * @param description one sentence for the configuration table
 * @param parser turns the text into a value; throws {@link IllegalArgumentException} with the
 *     expectation (e.g. "a port 1..65535") when the text is not acceptable
 * @param fallback the deployment-wide setting read when this key is not set ({@code null}: none)
 * @param <T> the value's type
 */
public record Setting<T>(
    String key,
    String defaultValue,
    String description,
    Function<String, T> parser,
    Setting<T> fallback) {

  /** The prefix of deployment-wide keys, whose environment variables drop it. */
  static final String DEPLOYMENT_PREFIX = "oxbow.";

  /** Checks the key's shape; a setting with a fallback takes its default from it. */
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parser, "parser");
    if (!key.matches("[a-z][a-z0-9.-]*")) {
      throw new IllegalArgumentException("setting keys are lower-case dotted words: " + key);
    }
    if (key.equals(DEPLOYMENT_PREFIX + "config")) {
      throw new IllegalArgumentException("OXBOW_CONFIG names the properties file: " + key);
    }
    if (fallback != null && defaultValue != null) {
      throw new IllegalArgumentException(key + ": the default comes from " + fallback.key());
    }
  }

  /** A setting without a fallback. */
  public Setting(String key, String defaultValue, String description, Function<String, T> parser) {
    this(key, defaultValue, description, parser, null);
  }

  /**
   * This key overriding {@code deploymentWide}: a value given for this key wins, otherwise the
   * value of {@code deploymentWide} counts, and its default is the default (see {@link
   * ConfigSource} for the order of sources).
   */
  public Setting<T> withFallback(Setting<T> deploymentWide) {
    return new Setting<>(key, null, description, parser, Objects.requireNonNull(deploymentWide));
  }

  /**
   * The environment variable: {@code OXBOW_} plus the key upper-cased, dots and dashes as {@code
   * _}; a deployment-wide key drops its {@code oxbow.} ({@code oxbow.lake-dir} is {@code
   * OXBOW_LAKE_DIR}).
   */
  public String envName() {
    String name =
        key.startsWith(DEPLOYMENT_PREFIX) ? key.substring(DEPLOYMENT_PREFIX.length()) : key;
    return "OXBOW_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The default in effect: this setting's own, else its fallback's; empty when none. */
  public Optional<String> effectiveDefault() {
    if (defaultValue != null) {
      return Optional.of(defaultValue);
    }
    return fallback == null ? Optional.empty() : fallback.effectiveDefault();
  }

  /** A text setting. */
  public static Setting<String> string(String key, String defaultValue, String description) {
    return new Setting<>(key, defaultValue, description, Function.identity());
  }

  /** Default Kafka bootstrap servers of every service: the local broker. */
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

  /** Default schema registry URL of every service: the local registry. */
  public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://127.0.0.1:8081";

  /**
   * {@code <service>.bootstrap-servers}, overriding {@code oxbow.bootstrap-servers} (default
   * {@value #DEFAULT_BOOTSTRAP_SERVERS}).
   */
  public static Setting<String> bootstrapServers(String service) {
    return string(
            service + ".bootstrap-servers",
            null,
            "Kafka bootstrap servers of oxbow " + service + " (overrides oxbow.bootstrap-servers).")
        .withFallback(DeploymentSettings.BOOTSTRAP_SERVERS);
  }

  /**
   * {@code <service>.schema-registry-url}, overriding {@code oxbow.schema-registry-url} (default
   * {@value #DEFAULT_SCHEMA_REGISTRY_URL}).
   */
  public static Setting<String> schemaRegistryUrl(String service) {
    return string(
            service + ".schema-registry-url",
            null,
            "Schema registry URL of oxbow " + service + " (overrides oxbow.schema-registry-url).")
        .withFallback(DeploymentSettings.SCHEMA_REGISTRY_URL);
  }

  /** A TCP port, 1..65535 (0 allowed when {@code allowEphemeral}: a free port). */
  public static Setting<Integer> port(
      String key, int defaultValue, boolean allowEphemeral, String description) {
    int min = allowEphemeral ? 0 : 1;
    return new Setting<>(
        key,
        String.valueOf(defaultValue),
        description,
        text -> {
          int port = Parsers.integer(text, min, 65535);
          return port;
        });
  }

  /** A whole number within {@code [min, max]}. */
  public static Setting<Integer> integer(
      String key, int defaultValue, int min, int max, String description) {
    return new Setting<>(
        key, String.valueOf(defaultValue), description, text -> Parsers.integer(text, min, max));
  }

  /**
   * A count of at least 1, or {@code auto} (the default), read as empty: for values derived from
   * the environment at start, such as the cluster's size.
   */
  public static Setting<OptionalInt> countOrAuto(String key, String description) {
    return new Setting<>(key, "auto", description, Parsers::countOrAuto);
  }

  /** A long within {@code [min, max]}. */
  public static Setting<Long> longValue(
      String key, long defaultValue, long min, long max, String description) {
    return new Setting<>(
        key, String.valueOf(defaultValue), description, text -> Parsers.longValue(text, min, max));
  }

  /** A size in bytes: {@code 8MiB}, {@code 64KiB}, {@code 1048576}. */
  public static Setting<Long> bytes(String key, String defaultValue, String description) {
    return new Setting<>(key, defaultValue, description, Parsers::bytes);
  }

  /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, or ISO-8601 {@code PT5M}. */
  public static Setting<Duration> duration(String key, String defaultValue, String description) {
    return new Setting<>(key, defaultValue, description, Parsers::duration);
  }

  /** {@code true} or {@code false}. */
  public static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
    return new Setting<>(key, String.valueOf(defaultValue), description, Parsers::bool);
  }

  /** A filesystem path. */
  public static Setting<Path> path(String key, String defaultValue, String description) {
    return new Setting<>(key, defaultValue, description, Path::of);
  }
}
