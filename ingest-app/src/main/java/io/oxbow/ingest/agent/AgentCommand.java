package io.oxbow.ingest.agent;

import io.oxbow.ingest.client.IngestTarget;
import io.oxbow.runtime.cli.Foreground;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.http.security.ClientKeyFile;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oxbow agent --file PATH... --to http://host:8080[,http://host2:8080]}: tails log files
 * into the ingest app, exactly once, following rotation, failing over between the ingest instances
 * given. Prints {@code agent: following N file(s)} when started; exits 1 when the app refuses a
 * batch for good (e.g. a line over its limit), naming file and offset.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Tail log files into the ingest app, exactly once, following rotation.")
public final class AgentCommand implements Callable<Integer>, OxbowSubcommand {
  @Option(
      names = "--file",
      required = true,
      paramLabel = "PATH",
      description = "A log file to follow (repeatable).")
  List<Path> files;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "URL",
      description =
          "Base URL of an ingest instance, e.g. http://127.0.0.1:8080; repeatable or comma"
              + " separated: the agent sends to one and fails over to the next.")
  List<String> to;

  @Option(
      names = "--api-key",
      description = "API key (visible in ps: prefer --api-key-file or env OXBOW_AGENT_API_KEY).")
  String apiKey;

  @Option(names = "--api-key-file", description = "File holding the API key (first line).")
  Path apiKeyFile;

  @Option(
      names = "--ca-file",
      paramLabel = "PEM",
      description = "Certificate authorities to trust for https (default: the JVM's).")
  Path caFile;

  @Option(
      names = "--state",
      defaultValue = "oxbow-agent.state",
      description = "State file (default ${DEFAULT-VALUE}).")
  Path state;

  @Option(
      names = "--source",
      description = "X-Oxbow-Source of every line (default: the file's path).")
  String source;

  @Option(
      names = "--batch-lines",
      defaultValue = "500",
      description = "Most lines per request (default ${DEFAULT-VALUE}).")
  int batchLines;

  @Option(
      names = "--batch-bytes",
      defaultValue = "1048576",
      description = "Most bytes per request (default ${DEFAULT-VALUE}).")
  int batchBytes;

  @Option(
      names = "--linger-ms",
      defaultValue = "200",
      description = "How long a partial batch waits (default ${DEFAULT-VALUE}).")
  long lingerMs;

  @Option(
      names = "--poll-ms",
      defaultValue = "100",
      description = "Idle file check interval (default ${DEFAULT-VALUE}).")
  long pollMs;

  @Option(
      names = "--max-backoff-ms",
      defaultValue = "10000",
      description = "Longest retry wait (default ${DEFAULT-VALUE}).")
  long maxBackoffMs;

  @Override
  public int helpOrder() {
    return 25;
  }

  @Override
  public Integer call() throws Exception {
    String key =
        apiKeyFile != null
            ? ClientKeyFile.read(apiKeyFile, "--api-key-file")
            : apiKey != null ? apiKey : System.getenv("OXBOW_AGENT_API_KEY");
    AgentOptions options =
        new AgentOptions(
            files,
            new IngestTarget(IngestTarget.parseUrls(to), key, caFile),
            state,
            source,
            batchLines,
            batchBytes,
            Duration.ofMillis(lingerMs),
            Duration.ofMillis(pollMs),
            Duration.ofMillis(maxBackoffMs));
    Agent agent = Agent.start(options);
    Foreground foreground = Foreground.closeOnShutdown("oxbow-agent", agent);
    System.out.println(
        "agent: following "
            + files.size()
            + " file(s), sending to "
            + String.join(",", options.to().baseUrls().stream().map(URI::toString).toList()));
    while (!foreground.awaitStop(Duration.ofMillis(200))) {
      if (!agent.running()) {
        agent.close();
        System.err.println(
            "agent: " + agent.failure().map(Throwable::getMessage).orElse("a tailer stopped"));
        return 1;
      }
    }
    return 0;
  }
}
