package io.oxbow.cli;

import io.oxbow.localkafka.LocalKafka;
import io.oxbow.runtime.cli.Foreground;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.cli.SettingOptions;
import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oxbow broker}: a real Apache Kafka broker (KRaft, combined broker and controller) in this
 * process, for people who want Kafka without Docker. Prints {@code kafka: 127.0.0.1:PORT} when
 * ready and runs until interrupted (Ctrl-C or SIGTERM), then shuts down cleanly.
 *
 * <p>Settings: {@code broker.port} (default 9092; 0 = a free port), {@code broker.data-dir}
 * (default {@code ./data/kafka}, kept across restarts), and for one node of a cluster {@code
 * broker.node-id} (default 1), {@code broker.controller-port} (default 0: a free port, which only a
 * single node can use), {@code broker.controller-quorum-voters} (default: this node alone) and
 * {@code broker.cluster-id} (default: derived from the voters, so the nodes of one cluster agree
 * without sharing a generated id). Three commands with node ids 1 to 3, the same voters and their
 * own ports and data directories make a three-node cluster (docs/operations.md).
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

  /** This node's id. */
  public static final Setting<Integer> NODE_ID =
      Setting.integer("broker.node-id", 1, 0, Integer.MAX_VALUE, "KRaft node id of this broker.");

  /** Controller listener port. */
  public static final Setting<Integer> CONTROLLER_PORT =
      Setting.port(
          "broker.controller-port",
          0,
          true,
          "Port of the broker's KRaft controller listener (0: free; a cluster node needs the port"
              + " its voters entry names).");

  /** The controller quorum. */
  public static final Setting<String> CONTROLLER_QUORUM_VOTERS =
      Setting.string(
          "broker.controller-quorum-voters",
          "",
          "KRaft controller.quorum.voters of a cluster, id@host:port,... (empty: this node"
              + " alone).");

  /** The cluster id a new data directory is formatted with. */
  public static final Setting<String> CLUSTER_ID =
      Setting.string(
          "broker.cluster-id",
          "",
          "Cluster id of a new data directory (empty: derived from the voters, else random).");

  @Option(names = "--port", description = "Listener port (default 9092; 0 = a free port).")
  Integer port;

  @Option(names = "--data-dir", description = "Data directory (default ./data/kafka).")
  Path dataDir;

  @Option(names = "--node-id", description = "KRaft node id (default 1).")
  Integer nodeId;

  @Option(
      names = "--controller-port",
      description = "KRaft controller listener port (default 0 = a free port).")
  Integer controllerPort;

  @Option(
      names = "--controller-quorum-voters",
      paramLabel = "ID@HOST:PORT,...",
      description = "Every controller of the cluster (default: this node alone).")
  String voters;

  @Option(
      names = "--cluster-id",
      description = "Cluster id of a new data directory (default: derived from the voters).")
  String clusterId;

  @Mixin SettingOptions options;

  @Override
  public int helpOrder() {
    return 80;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(PORT, DATA_DIR, NODE_ID, CONTROLLER_PORT, CONTROLLER_QUORUM_VOTERS, CLUSTER_ID);
  }

  @Override
  public Integer call() throws InterruptedException {
    ConfigSource source = source();
    String quorum = source.get(CONTROLLER_QUORUM_VOTERS);
    String cluster = source.get(CLUSTER_ID);
    LocalKafka kafka;
    try {
      kafka =
          LocalKafka.builder()
              .port(source.get(PORT))
              .dataDir(source.get(DATA_DIR))
              .nodeId(source.get(NODE_ID))
              .controllerPort(source.get(CONTROLLER_PORT))
              .controllerQuorumVoters(quorum.isBlank() ? null : quorum.trim())
              .clusterId(cluster.isBlank() ? null : cluster.trim())
              .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(CONTROLLER_QUORUM_VOTERS.key() + ": " + e.getMessage());
    }
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
        .put(NODE_ID, nodeId)
        .put(CONTROLLER_PORT, controllerPort)
        .put(CONTROLLER_QUORUM_VOTERS, voters)
        .put(CLUSTER_ID, clusterId)
        .load(options.configFile());
  }
}
