package io.oxbow.cli;

import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.config.DeploymentSettings;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.http.HttpLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oxbow settings}: every configuration setting of every command, with its environment
 * variable, default and meaning, the deployment-wide {@code oxbow.*} ones first; a service's key
 * that overrides one of them shows "as {@code oxbow.<key>}" for its default. {@code --markdown}
 * prints the table the README carries.
 */
@Command(
    name = "settings",
    mixinStandardHelpOptions = true,
    description = "List every configuration setting with its environment variable and default.")
public final class SettingsCommand implements Callable<Integer>, OxbowSubcommand {
  @Option(names = "--markdown", description = "Print a Markdown table (as in the README).")
  boolean markdown;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public int helpOrder() {
    return 200;
  }

  @Override
  public Integer call() {
    List<Setting<?>> all = allSettings(spec.root().commandLine());
    spec.commandLine().getOut().print(markdown ? markdownTable(all) : plainList(all));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * The deployment-wide settings ({@code oxbow.*}), then every distinct setting of the commands
   * under {@code root}, in help order, by key, then the {@code http.*} limits every service's HTTP
   * server shares.
   */
  static List<Setting<?>> allSettings(CommandLine root) {
    Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    DeploymentSettings.ALL.forEach(s -> byKey.put(s.key(), s));
    for (CommandLine sub : root.getSubcommands().values()) {
      if (sub.getCommand() instanceof OxbowSubcommand command) {
        command.settings().forEach(s -> byKey.putIfAbsent(s.key(), s));
      }
    }
    HttpLimits.SETTINGS.forEach(s -> byKey.putIfAbsent(s.key(), s));
    return new ArrayList<>(byKey.values());
  }

  /** The README's configuration table. */
  static String markdownTable(List<Setting<?>> settings) {
    StringBuilder sb = new StringBuilder();
    sb.append("| setting | environment variable | default | meaning |\n");
    sb.append("|---|---|---|---|\n");
    for (Setting<?> s : settings) {
      sb.append("| `")
          .append(s.key())
          .append("` | `")
          .append(s.envName())
          .append("` | ")
          .append(
              s.fallback() != null
                  ? "as `" + s.fallback().key() + "`"
                  : s.defaultValue() == null ? "(none)" : "`" + s.defaultValue() + "`")
          .append(" | ")
          .append(s.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String plainList(List<Setting<?>> settings) {
    StringBuilder sb = new StringBuilder();
    for (Setting<?> s : settings) {
      sb.append(s.key())
          .append("  (")
          .append(s.envName())
          .append(")  default: ")
          .append(s.effectiveDefault().orElse("(none)"))
          .append(s.fallback() == null ? "" : " (as " + s.fallback().key() + ")")
          .append("\n    ")
          .append(s.description())
          .append("\n");
    }
    return sb.toString();
  }
}
