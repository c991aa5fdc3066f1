package io.oxbow.cli;

import io.oxbow.localkafka.LocalKafka;
import io.oxbow.runtime.cli.Foreground;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.cli.SettingOptions;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oxbow broker}: a real Apache Kafka broker (KRaft, one node) in this process, for people
 * who want Kafka without Docker. Prints {@code kafka: 127.0.0.1:PORT} when ready and runs until
 * interrupted (Ctrl-C or SIGTERM), then shuts down cleanly.
 *
 * <p>Settings: {@code broker.port} (default 9092; 0 = a free port), {@code broker.data-dir}
 * (default {@code ./data/kafka}, kept across restarts).
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = "Run an in-process Apache Kafka broker (KRaft) until interrupted.")
public final class BrokerCommand implements Callable<Integer>, OxbowSubcommand {
  /** Listener port. */
  public static final Setting<Integer> PORT =
      Setting.port("broker.port", 9092, true, "Port of the broker's PLAINTEXT listener (0: free).");

  /** Data directory. */
  public static final Setting<Path> DATA_DIR =
      Setting.path("broker.data-dir", "data/kafka", "Broker log and metadata directory.");

  @Option(names = "--port", description = "Listener port (default 9092; 0 = a free port).")
  Integer port;

  @Option(names = "--data-dir", description = "Data directory (default ./data/kafka).")
  Path dataDir;

  @Mixin SettingOptions options;

  @Override
  public int helpOrder() {
    return 80;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(PORT, DATA_DIR);
  }

  @Override
  public Integer call() throws InterruptedException {
    ConfigSource source = source();
    LocalKafka kafka =
        LocalKafka.builder().port(source.get(PORT)).dataDir(source.get(DATA_DIR)).build();
    Foreground foreground = Foreground.closeOnShutdown("oxbow-broker", kafka);
    kafka.start();
    System.out.println("kafka: " + kafka.bootstrapServers());
    return foreground.awaitStop();
  }

  /** Named flags over {@code --set} pairs, then the environment and the properties file. */
  ConfigSource source() {
    return options
        .flags("broker", settings())
        .put(PORT, port)
        .put(DATA_DIR, dataDir)
        .load(options.configFile());
  }
}
