package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

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

  /**
   * Asserts that every topic Oxbow created (its own, the registry's, the ingest idempotency topic
   * and the Streams internal ones) has replication factor 3 and {@code min.insync.replicas=2}.
   */
  static void assertEveryOxbowTopicIsReplicatedThreeTimesWithMinIsrTwo(Admin admin)
      throws Exception {
    Set<String> all = admin.listTopics().names().get();
    List<String> oxbow =
        all.stream()
            .filter(
                t ->
                    t.startsWith("access-logs.")
                        || t.startsWith("views.speed.")
                        || t.startsWith("oxbow-stream-")
                        || t.equals(TopicNames.ORDERS)
                        || t.equals(TopicNames.ORDERS_ATTRIBUTED)
                        || t.equals(TopicNames.REF_GEOIP)
                        || t.equals("_schemas")
                        || t.contains("idempotency"))
            .sorted()
            .toList();
    assertThat(oxbow)
        .contains(
            TopicNames.ACCESS_LOGS_RAW,
            TopicNames.ACCESS_LOGS_ENRICHED,
            TopicNames.ACCESS_LOGS_DLQ,
            TopicNames.ORDERS,
            TopicNames.ORDERS_ATTRIBUTED,
            TopicNames.REF_GEOIP,
            "_schemas");
    assertThat(oxbow).as("Kafka Streams internal topics").anyMatch(t -> t.startsWith("oxbow-"));
    assertThat(oxbow).as("the ingest idempotency topic").anyMatch(t -> t.contains("idempotency"));
    Map<String, TopicDescription> descriptions = admin.describeTopics(oxbow).allTopicNames().get();
    Map<ConfigResource, Config> configs =
        admin
            .describeConfigs(
                oxbow.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList())
            .all()
            .get();
    Map<String, Integer> factors =
        descriptions.values().stream()
            .collect(
                Collectors.toMap(
                    TopicDescription::name,
                    d -> d.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0),
                    (a, b) -> a,
                    TreeMap::new));
    Map<String, String> minIsr =
        configs.entrySet().stream()
            .collect(
                Collectors.toMap(
                    e -> e.getKey().name(),
                    e -> e.getValue().get("min.insync.replicas").value(),
                    (a, b) -> a,
                    TreeMap::new));
    assertThat(factors).allSatisfy((topic, rf) -> assertThat(rf).as(topic).isEqualTo(3));
    assertThat(minIsr).allSatisfy((topic, isr) -> assertThat(isr).as(topic).isEqualTo("2"));
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
