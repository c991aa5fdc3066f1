package io.oxbow.runtime.cli;

import io.oxbow.runtime.config.Setting;
import java.util.List;

/**
 * A subcommand of the {@code oxbow} command line, contributed by the module that owns it.
 *
 * <p>Implementations are picocli {@code @Command} classes with a public no-argument constructor,
 * usually {@code Callable<Integer>}, listed in {@code
 * META-INF/services/io.oxbow.runtime.cli.OxbowSubcommand} of their module. The CLI discovers them
 * with {@link java.util.ServiceLoader}, so a service keeps its command next to its code and the CLI
 * module never needs to change when a command is added.
 *
 * <p>A command with settings mixes in {@link SettingOptions} ({@code --set key=value}, {@code
 * --config FILE}) and builds its configuration from it, checked against {@link #settings()}.
 */
public interface OxbowSubcommand {
  /** Position in {@code oxbow --help}; lower first. Default 100. */
  default int helpOrder() {
    return 100;
  }

  /**
   * Every setting this command reads, for {@code oxbow settings} and the configuration table in the
   * README (a test keeps that table in step with these lists). Default: none.
   */
  default List<Setting<?>> settings() {
    return List.of();
  }
}
