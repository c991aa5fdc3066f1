package io.oxbow.cli;

import io.oxbow.batch.BatchCommand;
import io.oxbow.cli.demo.DemoStack;
import io.oxbow.cli.demo.ReplayProgress;
import io.oxbow.cli.demo.Replayer;
import io.oxbow.ingest.IngestCommand;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.cli.SettingOptions;
import io.oxbow.runtime.config.DeploymentSettings;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.lifecycle.Lifecycle;
import io.oxbow.serving.ServeCommand;
import io.oxbow.stream.StreamCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oxbow demo}: the whole pipeline in one process on an embedded default. Starts the
 * in-process KRaft broker, the schema registry and the four services on a persistent data directory
 * (default {@code ./data}), loads the bundled geo-IP ranges, prints every URL and the API key, then
 * replays the bundled real access logs through the ingest API with event times moved to now and a
 * speed factor (default 60x), posting the orders derived from them.
 *
 * <p>Any setting of the four services can be given with {@code --set key=value} (or {@code --config
 * FILE}, {@code OXBOW_*}); {@code --views FILE} adds views to all three layers at once.
 *
 * <p>Ctrl-C (SIGTERM) stops everything within 10 s; a second run on the same data directory resumes
 * the replay where it stopped and writes nothing twice.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the whole pipeline in one process on real sample data.")
public final class DemoCommand implements Callable<Integer>, OxbowSubcommand {
  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description = "Where the demo keeps its state (default ./data).")
  Path dataDir;

  @Option(
      names = "--speed",
      defaultValue = "60",
      description =
          "Replay speed factor, or 'max' for as fast as the pipeline takes it (default 60).")
  String speed;

  @Option(
      names = "--logs",
      arity = "1..*",
      description = "Replay these files (.gz allowed) instead of the bundled samples.")
  List<Path> logs;

  @Option(names = "--keep-time", description = "Keep the logs' original event times.")
  boolean keepTime;

  @Option(names = "--no-replay", description = "Start the services only.")
  boolean noReplay;

  @Option(
      names = "--port-offset",
      defaultValue = "0",
      description = "Added to every default port, to run beside other services (default 0).")
  int portOffset;

  @Option(
      names = "--order-fraction",
      defaultValue = "0.35",
      description = "Share of qualifying sessions that place an order (default 0.35).")
  double orderFraction;

  @Option(
      names = "--views",
      paramLabel = "FILE",
      description =
          "A views YAML file extending the default views, for the speed layer, the batch layer and"
              + " the serving API alike (sets oxbow.views-file).")
  Path views;

  @Mixin SettingOptions options;

  /**
   * Every setting of the services the demo runs (ingest, stream, batch, serve, with the
   * deployment-wide keys they fall back to): what {@code --set} accepts.
   */
  static List<Setting<?>> serviceSettings() {
    return Stream.of(
            new IngestCommand().settings(),
            new StreamCommand().settings(),
            new BatchCommand().settings(),
            new ServeCommand().settings())
        .flatMap(List::stream)
        .toList();
  }

  /**
   * The services' settings of this command line: the {@code --set} pairs, checked, and {@code
   * --views} as {@code oxbow.views-file}.
   *
   * @throws io.oxbow.runtime.config.ConfigException naming an unknown key or a bad value
   */
  Map<String, String> givenSettings() {
    Map<String, String> settings = new LinkedHashMap<>(options.pairs());
    SettingOptions.check("demo", settings, serviceSettings());
    if (views != null) {
      settings.put(DeploymentSettings.VIEWS_FILE.key(), views.toString());
    }
    return settings;
  }

  @Override
  public int helpOrder() {
    return 0;
  }

  @Override
  public Integer call() throws Exception {
    double factor = parseSpeed(speed);
    Path root = Path.of(System.getProperty("oxbow.root", "."));
    List<Path> files = logs != null ? logs : samples(root.resolve("samples/access-logs"), "*.log");
    for (Path f : files) {
      if (!Files.isReadable(f)) {
        throw new IllegalArgumentException("--logs: cannot read " + f);
      }
    }
    List<Path> geoIp = samples(root.resolve("samples/geoip"), "*.csv.gz");
    PrintStream out = System.out;
    DemoStack stack =
        DemoStack.start(dataDir, portOffset, geoIp, givenSettings(), null, options.configFile());
    // on Ctrl-C (SIGTERM): stop the replay on this thread first, then the stack (the stack bounds
    // its own close to 10 s; this bound only keeps the hook from waiting forever)
    Thread main = Thread.currentThread();
    Lifecycle lifecycle = Lifecycle.create("oxbow-demo", Duration.ofSeconds(15));
    lifecycle.register(stack);
    lifecycle.register(main::interrupt);
    lifecycle.installShutdownHook();
    out.println("kafka: " + stack.kafka());
    out.println("registry: " + stack.registryUrl());
    out.println("ingest: " + stack.ingestUrl());
    out.println("api: " + stack.apiUrl() + "/api/v1");
    out.println("dashboard: " + stack.apiUrl() + "/");
    out.println("api key: " + stack.apiKey());
    out.flush();
    if (noReplay || replay(stack, files, factor, out)) {
      out.println("demo: running; press Ctrl-C to stop");
      out.flush();
    }
    // the shutdown hook interrupts this thread and closes the stack; wait for it to finish
    boolean interrupted = Thread.interrupted();
    while (true) {
      try {
        lifecycle.awaitClosed();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Runs the replay; false when it was stopped by a shutdown (the next run resumes it). */
  private boolean replay(DemoStack stack, List<Path> files, double factor, PrintStream out)
      throws IOException {
    Replayer replayer =
        Replayer.of(
            files,
            URI.create(stack.ingestUrl()),
            stack.apiKey(),
            dataDir.resolve("demo/replay.json"),
            Clock.systemUTC());
    ReplayProgress progress = new ReplayProgress(out, System.console() != null, System::nanoTime);
    out.println(
        "replay: "
            + replayer.totalLines()
            + " lines from "
            + files.size()
            + " files at "
            + (factor == 0 ? "max speed" : factor + "x"));
    try {
      replayer.run(factor, keepTime, orderFraction, progress::update);
      progress.done();
      return true;
    } catch (InterruptedException e) {
      out.println("replay: stopped; the next run on " + dataDir + " resumes it");
      return false;
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) { // shutdown while a batch was in flight
        out.println("replay: stopped; the next run on " + dataDir + " resumes it");
        return false;
      }
      throw e;
    }
  }

  private static double parseSpeed(String text) {
    if (text.toLowerCase(Locale.ROOT).equals("max")) {
      return 0;
    }
    try {
      double factor = Double.parseDouble(text);
      if (factor > 0 && !Double.isInfinite(factor)) {
        return factor;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("--speed must be a positive factor or 'max', was " + text);
  }

  private static List<Path> samples(Path dir, String glob) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
        ds.forEach(files::add);
      }
    }
    files.sort(null);
    return files;
  }
}
