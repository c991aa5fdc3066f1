package io.oxbow.runtime.cli;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options through which every command with settings takes any of them: {@code --set key=value}
 * (repeatable) and {@code --config FILE}. A command mixes them in and builds its {@link Flags} from
 * them:
 *
 * <pre>{@code
 * @Mixin SettingOptions options;
 * ...
 * ConfigSource source =
 *     options.flags("serve", settings()).put(ServeConfig.PORT, port).load(options.configFile());
 * }</pre>
 *
 * <p>A {@code --set} key must be one of the command's settings, a deployment-wide key one of them
 * falls back to ({@code oxbow.bootstrap-servers}), or, for a command with Kafka clients, a {@code
 * kafka.client.*} property; its value must parse. Otherwise {@link #flags} fails before anything
 * starts, naming the key. A named flag of the command ({@code --port}) wins over {@code --set} of
 * the same key.
 */
public final class SettingOptions {
  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Any setting of this command as key=value (repeatable), e.g. --set"
              + " oxbow.bootstrap-servers=kafka:9092; 'oxbow settings' lists them.")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with settings (default: the file named by OXBOW_CONFIG).")
  Path config;

  /** The {@code --set} pairs given, in order (key to text). */
  public Map<String, String> pairs() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(set));
  }

  /** The {@code --config} file, or null: the one named by {@code OXBOW_CONFIG}, if any. */
  public Path configFile() {
    return config;
  }

  /**
   * The {@code --set} pairs as flags, each checked against {@code settings}.
   *
   * @param command the command's name, for errors ({@code serve})
   * @param settings every setting the command reads
   * @throws ConfigException naming the key when it is not a setting of the command or its value
   *     does not parse
   */
  public Flags flags(String command, Collection<Setting<?>> settings) {
    check(command, set, settings);
    return new Flags(set);
  }

  /**
   * Checks {@code pairs} (key to text) against {@code settings}, as {@link #flags} does.
   *
   * @throws ConfigException naming the first unknown key or bad value
   */
  public static void check(
      String command, Map<String, String> pairs, Collection<Setting<?>> settings) {
    Map<String, Setting<?>> known = new LinkedHashMap<>();
    for (Setting<?> s : settings) {
      for (Setting<?> key = s; key != null; key = key.fallback()) {
        known.putIfAbsent(key.key(), key);
      }
    }
    boolean kafkaClients = known.containsKey(KafkaClientSecurity.CLIENT_CONFIG.key());
    for (Map.Entry<String, String> pair : pairs.entrySet()) {
      String key = pair.getKey();
      Setting<?> setting = known.get(key);
      if (setting == null) {
        if (kafkaClients
            && key.startsWith(KafkaClientSecurity.PREFIX)
            && key.length() > KafkaClientSecurity.PREFIX.length()) {
          continue;
        }
        throw new ConfigException(
            "--set " + key + ": not a setting of oxbow " + command + " (see oxbow settings)");
      }
      // parse now, so that a bad value stops the command before any part of it starts
      ConfigSource.ofFlags(Map.of(key, pair.getValue())).find(standalone(setting));
    }
  }

  private static <T> Setting<T> standalone(Setting<T> s) {
    return new Setting<>(s.key(), null, s.description(), s.parser());
  }
}
