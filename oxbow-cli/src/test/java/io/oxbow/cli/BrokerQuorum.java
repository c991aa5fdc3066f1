package io.oxbow.cli;

import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.TopicNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * A KRaft cluster of {@code oxbow broker} processes (combined broker and controller nodes, ids 1 to
 * n, one quorum, each with its own ports and data directory under {@code dir}), each killable with
 * SIGKILL and restartable with the same command on its data directory.
 */
final class BrokerQuorum implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  private static final Duration START = Duration.ofMinutes(3);

  private final List<String> jvmOptions;
  private final Map<Integer, OxbowProcess> brokers = new TreeMap<>();
  private final Map<Integer, String[]> brokerArgs = new TreeMap<>();
  private final List<OxbowProcess> all = new ArrayList<>();
  private final String bootstrap;

  private BrokerQuorum(List<String> jvmOptions, String bootstrap) {
    this.jvmOptions = jvmOptions;
    this.bootstrap = bootstrap;
  }

  /**
   * Starts {@code n} nodes with {@code jvmOptions} and waits until every one is ready and in the
   * cluster's metadata (the services count the brokers when they start, so all of them first).
   */
  static BrokerQuorum start(int n, Path dir, List<String> jvmOptions) throws IOException {
    List<Integer> clientPorts = new ArrayList<>();
    List<Integer> controllerPorts = new ArrayList<>();
    List<String> voters = new ArrayList<>();
    for (int id = 1; id <= n; id++) {
      clientPorts.add(freePort());
      controllerPorts.add(freePort());
      voters.add(id + "@" + HOST + ":" + controllerPorts.get(id - 1));
    }
    BrokerQuorum quorum =
        new BrokerQuorum(
            jvmOptions,
            clientPorts.stream().map(p -> HOST + ":" + p).collect(Collectors.joining(",")));
    for (int id = 1; id <= n; id++) {
      quorum.brokerArgs.put(
          id,
          new String[] {
            "broker",
            "--node-id",
            String.valueOf(id),
            "--port",
            String.valueOf(clientPorts.get(id - 1)),
            "--controller-port",
            String.valueOf(controllerPorts.get(id - 1)),
            "--controller-quorum-voters",
            String.join(",", voters),
            "--data-dir",
            dir.resolve("kafka-" + id).toString()
          });
      quorum.launch(id);
    }
    for (OxbowProcess broker : quorum.brokers.values()) {
      broker.awaitLine("kafka: ", START);
    }
    try (Admin admin = quorum.admin()) {
      await("" + n + " brokers in the cluster's metadata")
          .atMost(Duration.ofMinutes(1))
          .until(() -> admin.describeCluster().nodes().get().size() == n);
    }
    return quorum;
  }

  /** The bootstrap servers: every node's client address. */
  String bootstrap() {
    return bootstrap;
  }

  /** A new admin client on the cluster (the caller closes it). */
  Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  /** SIGKILL of node {@code id}. */
  void kill(int id) throws InterruptedException {
    brokers.get(id).kill();
  }

  /** Starts node {@code id} again with its first command and waits until it is ready. */
  void restart(int id) throws IOException {
    launch(id).awaitLine("kafka: ", START);
  }

  /** The node leading partition 0 of the raw topic. */
  static int leaderOfRawPartitionZero(Admin admin) throws Exception {
    return rawPartitionZero(admin).leader().id();
  }

  /** Partition 0 of the raw topic as the cluster describes it (leader, replicas, ISR). */
  static TopicPartitionInfo rawPartitionZero(Admin admin) throws Exception {
    return admin
        .describeTopics(List.of(TopicNames.ACCESS_LOGS_RAW))
        .allTopicNames()
        .get()
        .get(TopicNames.ACCESS_LOGS_RAW)
        .partitions()
        .get(0);
  }

  private OxbowProcess launch(int id) throws IOException {
    OxbowProcess p = OxbowProcess.start(jvmOptions, Map.of(), brokerArgs.get(id));
    brokers.put(id, p);
    all.add(p);
    return p;
  }

  /** A port free on {@link #HOST} now. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    all.forEach(OxbowProcess::close);
  }
}
