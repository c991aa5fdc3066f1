package io.oxbow.cli;

import io.oxbow.cli.demo.Replayer;
import io.oxbow.ingest.client.IngestTarget;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.cli.SettingOptions;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.http.security.ClientKeyFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oxbow replay}: the demo's replay on its own, against any running ingest app. Replays
 * access logs (default: the bundled samples) with event times moved to now and a speed factor,
 * posts the orders derived from them, checkpoints to a state file, and exits when every line was
 * acknowledged. A second run with the same state file resumes and writes nothing twice. Sends
 * through {@link io.oxbow.ingest.client.IngestClient} and its retry policy (docs/ingest.md); with
 * several {@code --to} URLs it sends to one ingest instance and fails over to the next.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Replay access logs (and derived orders) through a running ingest app.")
public final class ReplayCommand implements Callable<Integer>, OxbowSubcommand {
  /** The ingest API key (none: the ingest app runs without authentication). */
  public static final Setting<String> API_KEY =
      Setting.string("replay.api-key", null, "Ingest API key the replay sends (none: no auth).");

  /** A file holding the ingest API key (kept off the command line). */
  public static final Setting<Path> API_KEY_FILE =
      Setting.path(
          "replay.api-key-file", null, "File holding the ingest API key (first line); wins.");

  /** Certificate authorities trusted for an https ingest URL (none: the JVM's). */
  public static final Setting<Path> CA_FILE =
      Setting.path(
          "replay.ca-file",
          null,
          "PEM certificate authorities trusted for an https ingest app (none: the JVM's).");

  @Option(
      names = "--to",
      required = true,
      paramLabel = "URL",
      description =
          "Ingest app base URL; repeatable or comma separated: sends to one, fails over to the"
              + " next.")
  List<String> to;

  @Option(
      names = "--api-key",
      description =
          "Ingest API key (visible in ps: prefer --api-key-file or OXBOW_REPLAY_API_KEY).")
  String apiKey;

  @Option(names = "--api-key-file", description = "File holding the ingest API key.")
  Path apiKeyFile;

  @Option(
      names = "--ca-file",
      paramLabel = "PEM",
      description = "Certificate authorities to trust for https (default: the JVM's).")
  Path caFile;

  @Option(names = "--logs", arity = "1..*", description = "Files to replay (default: samples).")
  List<Path> logs;

  @Option(names = "--speed", defaultValue = "60", description = "Speed factor or 'max'.")
  String speed;

  @Option(names = "--keep-time", description = "Keep the original event times.")
  boolean keepTime;

  @Option(
      names = "--state",
      defaultValue = "data/replay.json",
      description = "Checkpoint file (default data/replay.json).")
  Path state;

  @Option(names = "--order-fraction", defaultValue = "0.35", description = "Default 0.35.")
  double orderFraction;

  @Mixin SettingOptions options;

  @Override
  public int helpOrder() {
    return 70;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(API_KEY, API_KEY_FILE, CA_FILE);
  }

  @Override
  public Integer call() throws Exception {
    ConfigSource source =
        options
            .flags("replay", settings())
            .put(API_KEY, apiKey)
            .put(API_KEY_FILE, apiKeyFile)
            .put(CA_FILE, caFile)
            .load(options.configFile());
    String key =
        source
            .find(API_KEY_FILE)
            .map(file -> ClientKeyFile.read(file, API_KEY_FILE.key()))
            .orElseGet(() -> source.find(API_KEY).orElse(null));
    List<Path> files = logs != null ? logs : defaultLogs();
    IngestTarget target =
        new IngestTarget(IngestTarget.parseUrls(to), key, source.find(CA_FILE).orElse(null));
    Replayer replayer = Replayer.of(files, target, state, Clock.systemUTC());
    double factor = speed.toLowerCase(Locale.ROOT).equals("max") ? 0 : parseFactor(speed);
    System.out.println("replay: " + replayer.totalLines() + " lines to " + String.join(",", to));
    int sent =
        replayer.run(
            factor,
            keepTime,
            orderFraction,
            (done, total, t) -> {
              if (done == total || done % 5000 < 500) {
                System.out.printf("replay: %d/%d lines, event time %s%n", done, total, t);
              }
            });
    System.out.println("replay: done (" + sent + " lines sent by this run)");
    return 0;
  }

  private static double parseFactor(String text) {
    try {
      double factor = Double.parseDouble(text);
      if (factor > 0 && !Double.isInfinite(factor)) {
        return factor;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--speed must be a positive factor or 'max', was " + text);
  }

  private static List<Path> defaultLogs() throws java.io.IOException {
    Path dir = Path.of(System.getProperty("oxbow.root", ".")).resolve("samples/access-logs");
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.log")) {
        ds.forEach(files::add);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no --logs given and no samples under " + dir);
    }
    files.sort(null);
    return files;
  }
}
