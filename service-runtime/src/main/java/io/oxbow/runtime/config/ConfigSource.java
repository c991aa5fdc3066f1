package io.oxbow.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where settings come from, highest precedence first: command-line flags, environment variables
 * ({@code OXBOW_INGEST_PORT}), a properties file ({@code --config FILE} or {@code OXBOW_CONFIG}),
 * then each setting's default.
 *
 * <p>A service's key that overrides a deployment-wide one ({@link Setting#withFallback}, e.g.
 * {@code ingest.bootstrap-servers} over {@code oxbow.bootstrap-servers}) is looked up in this
 * order: the command line (the service's key, then the deployment-wide key), the service's key in
 * the environment and the file, the deployment-wide key in the environment and the file, then the
 * deployment-wide default. So a flag always wins, and otherwise the service's own key, when set,
 * wins over the deployment's.
 *
 * <p>Read once at a service's edge into its typed configuration record; nothing else reads the
 * environment.
 */
public final class ConfigSource {
  /** The environment variable that names a properties file. */
  public static final String CONFIG_FILE_ENV = "OXBOW_CONFIG";

  private final Map<String, String> flags;
  private final Map<String, String> env;
  private final Properties file;
  private final String fileName;

  private ConfigSource(
      Map<String, String> flags, Map<String, String> env, Properties file, String fileName) {
    this.flags = Map.copyOf(flags);
    this.env = Map.copyOf(env);
    this.file = file;
    this.fileName = fileName;
  }

  /**
   * The process's configuration: the given flags (key to text; null values ignored), the real
   * environment, and the properties file named by {@code configFile} or {@code OXBOW_CONFIG}.
   *
   * @throws ConfigException when the properties file cannot be read
   */
  public static ConfigSource load(Map<String, String> flags, Optional<Path> configFile) {
    return of(flags, System.getenv(), configFile);
  }

  /** Like {@link #load}, with an explicit environment (for tests). */
  public static ConfigSource of(
      Map<String, String> flags, Map<String, String> env, Optional<Path> configFile) {
    Optional<Path> path =
        configFile.or(() -> Optional.ofNullable(env.get(CONFIG_FILE_ENV)).map(Path::of));
    Properties props = new Properties();
    if (path.isPresent()) {
      try (Reader reader = Files.newBufferedReader(path.get(), StandardCharsets.UTF_8)) {
        props.load(reader);
      } catch (IOException e) {
        throw new ConfigException(
            "cannot read the configuration file " + path.get() + ": " + e.getMessage());
      }
    }
    Map<String, String> nonNullFlags = new HashMap<>();
    flags.forEach(
        (k, v) -> {
          if (v != null) {
            nonNullFlags.put(k, v);
          }
        });
    return new ConfigSource(nonNullFlags, env, props, path.map(Path::toString).orElse(null));
  }

  /** Only defaults and the given flags: no environment, no file. */
  public static ConfigSource ofFlags(Map<String, String> flags) {
    return of(flags, Map.of(), Optional.empty());
  }

  /**
   * The setting's typed value.
   *
   * @throws ConfigException naming the setting when it is required and missing, or its value does
   *     not parse
   */
  public <T> T get(Setting<T> setting) {
    Optional<Raw<T>> raw = raw(setting);
    if (raw.isEmpty()) {
      throw new ConfigException(
          setting.key()
              + " is required: set --"
              + setting.key()
              + ", the environment variable "
              + setting.envName()
              + (setting.fallback() == null ? "" : " (or " + setting.fallback().key() + ")")
              + " or the key in a properties file ("
              + setting.description()
              + ")");
    }
    Raw<T> value = raw.get();
    try {
      return value.from().parser().apply(value.text());
    } catch (IllegalArgumentException e) {
      // name the key that holds the text: the deployment-wide one when it came from there
      throw new ConfigException(
          value.from().key()
              + " ("
              + value.origin()
              + ") = \""
              + value.text()
              + "\": "
              + e.getMessage());
    }
  }

  /** The setting's value, or empty when it has no value and no default. */
  public <T> Optional<T> find(Setting<T> setting) {
    return raw(setting).isPresent() ? Optional.of(get(setting)) : Optional.empty();
  }

  /**
   * Every value whose key starts with {@code prefix} (e.g. {@code kafka.client.}), keyed by the
   * rest of the key, for settings passed through to a library as they are. Same precedence as
   * {@link #get}: flags, then environment variables ({@code OXBOW_KAFKA_CLIENT_SASL_MECHANISM}
   * gives {@code sasl.mechanism}: the part after the prefix lower-cased, {@code _} read as {@code
   * .}), then the properties file.
   *
   * @param prefix lower-case dotted words ending with a dot
   * @return the values by key without the prefix, sorted; empty when there are none
   */
  public Map<String, String> withPrefix(String prefix) {
    if (!prefix.matches("[a-z][a-z0-9.-]*\\.")) {
      throw new IllegalArgumentException("a prefix is lower-case dotted words ending in '.'");
    }
    Map<String, String> out = new TreeMap<>();
    for (String key : file.stringPropertyNames()) {
      if (key.startsWith(prefix) && key.length() > prefix.length()) {
        out.put(key.substring(prefix.length()), file.getProperty(key));
      }
    }
    String envPrefix =
        "OXBOW_" + prefix.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith(envPrefix) && e.getKey().length() > envPrefix.length()) {
        String rest = e.getKey().substring(envPrefix.length());
        out.put(rest.toLowerCase(Locale.ROOT).replace('_', '.'), e.getValue());
      }
    }
    flags.forEach(
        (key, value) -> {
          if (key.startsWith(prefix) && key.length() > prefix.length()) {
            out.put(key.substring(prefix.length()), value);
          }
        });
    return out;
  }

  private <T> Optional<Raw<T>> raw(Setting<T> setting) {
    for (Setting<T> s = setting; s != null; s = s.fallback()) {
      if (flags.containsKey(s.key())) {
        return Optional.of(new Raw<>(flags.get(s.key()), "command line", s));
      }
    }
    for (Setting<T> s = setting; s != null; s = s.fallback()) {
      String envName = s.envName();
      if (env.containsKey(envName)) {
        return Optional.of(new Raw<>(env.get(envName), "env " + envName, s));
      }
      if (file.containsKey(s.key())) {
        return Optional.of(new Raw<>(file.getProperty(s.key()), "file " + fileName, s));
      }
    }
    for (Setting<T> s = setting; s != null; s = s.fallback()) {
      if (s.defaultValue() != null) {
        return Optional.of(new Raw<>(s.defaultValue(), "default", s));
      }
    }
    return Optional.empty();
  }

  /** A setting's text, where it came from, and the setting (or fallback) whose key held it. */
  private record Raw<T>(String text, String origin, Setting<T> from) {}
}
