package io.oxbow.cli;

import io.oxbow.runtime.cli.OxbowSubcommand;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code oxbow} command line. Subcommands come from every module on the class path through
 * {@link ServiceLoader} ({@link OxbowSubcommand}), so each service owns its own command.
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
 */
@Command(
    name = "oxbow",
    mixinStandardHelpOptions = true,
    versionProvider = OxbowVersion.class,
    description = {
      "Oxbow: a lambda-architecture analytics pipeline on Apache Kafka.",
      "Fresh within a second, exact after the batch closes, one definition of each view."
    },
    footer = {"", "Run 'oxbow COMMAND --help' for a command's options."})
public final class OxbowCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Entry point of the launcher script. */
  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (Throwable fatal) {
      // an Error (e.g. a broken class path) must still end the process: services started by the
      // command hold non-daemon threads that would otherwise keep a half-started JVM alive
      System.err.println("oxbow: fatal: " + fatal);
      fatal.printStackTrace(System.err);
      code = 1;
    }
    System.exit(code);
  }

  /** Runs the CLI and returns its exit code (for tests and embedding). */
  public static int run(String... args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    return commandLine().execute(args);
  }

  /** The command tree with every discovered subcommand, in help order. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new OxbowCli());
    List<OxbowSubcommand> subcommands =
        ServiceLoader.load(OxbowSubcommand.class).stream()
            .map(ServiceLoader.Provider::get)
            .sorted(Comparator.comparingInt(OxbowSubcommand::helpOrder))
            .toList();
    for (OxbowSubcommand subcommand : subcommands) {
      cli.addSubcommand(subcommand);
    }
    cli.setExecutionExceptionHandler(new ErrorReporter());
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
