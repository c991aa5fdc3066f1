package io.oxbow.runtime.cli;

import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The settings a subcommand's flags give, ready to load with the environment and the properties
 * file. A flag that was not given (null) is left out, so the setting comes from {@code OXBOW_*},
 * the properties file or its default; a flag given wins over both.
 *
 * <pre>{@code
 * ConfigSource source =
 *     new Flags().put(ServeConfig.PORT, port).put(ServeConfig.LAKE_DIR, lakeDir).load(config);
 * }</pre>
 */
public final class Flags {
  private final Map<String, String> values = new HashMap<>();

  /** No flags. */
  public Flags() {}

  /** Starts from {@code values} (setting key to text), e.g. the pairs of a {@code --set} option. */
  public Flags(Map<String, String> values) {
    values.forEach(this.values::put);
  }

  /** Sets {@code setting} to {@code value}'s text, unless {@code value} is null. */
  public Flags put(Setting<?> setting, Object value) {
    if (value != null) {
      values.put(setting.key(), value.toString());
    }
    return this;
  }

  /**
   * These flags over the environment and the properties file {@code configFile} (or {@code
   * OXBOW_CONFIG}; null: none), as {@link ConfigSource#load} reads them.
   */
  public ConfigSource load(Path configFile) {
    return ConfigSource.load(values, Optional.ofNullable(configFile));
  }
}
