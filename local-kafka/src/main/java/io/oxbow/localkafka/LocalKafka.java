package io.oxbow.localkafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller), running in this JVM
 * from Kafka's own server jars: one node alone by default, or one node of a cluster whose nodes
 * share {@link Builder#controllerQuorumVoters} (see {@link LocalKafkaCluster}).
 *
 * <p>Transactions, idempotent producers and exactly-once Kafka Streams work on it: the internal
 * topics (offsets, transaction state, share-group state) are created with replication factor 1 and
 * min ISR 1 on a single node (3 and 2 in a cluster of three nodes or more). Defaults: listener on
 * 127.0.0.1 at a free port, a temporary data directory deleted on {@link #close()}, 3 partitions
 * for auto-created topics, no initial rebalance delay. With {@link Builder#dataDir(Path)} the data
 * survives restarts: a formatted directory is reused with its cluster id. With {@link
 * Builder#saslSsl(SaslSsl)} the only client listener is SASL_SSL (SCRAM-SHA-512 over TLS; see
 * {@link SaslSsl}).
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.builder().build().start()) {
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);
  private static final String HOST = "127.0.0.1";

  private final int nodeId;
  private final int requestedPort;
  private final int requestedControllerPort;
  private final String requestedVoters;
  private final String requestedClusterId;
  private final Path requestedDataDir;
  private final Duration startTimeout;
  private final SaslSsl saslSsl;

  private Path dataDir;
  private boolean deleteDataDirOnClose;
  private int port;
  private KafkaRaftServer server;

  private LocalKafka(Builder builder) {
    this.nodeId = builder.nodeId;
    this.requestedPort = builder.port;
    this.requestedControllerPort = builder.controllerPort;
    this.requestedVoters = builder.voters;
    this.requestedClusterId = builder.clusterId;
    this.requestedDataDir = builder.dataDir;
    this.startTimeout = builder.startTimeout;
    this.saslSsl = builder.saslSsl;
  }

  /** A builder with the defaults described on the class. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Formats the data directory when needed, starts the broker and waits until it answers a metadata
   * request.
   *
   * @return this broker, started
   * @throws IllegalStateException when the broker is not ready within the start timeout (30 s)
   */
  public synchronized LocalKafka start() {
    if (server != null) {
      return this;
    }
    long begin = System.nanoTime();
    try {
      dataDir =
          requestedDataDir != null ? requestedDataDir : Files.createTempDirectory("oxbow-kafka-");
      deleteDataDirOnClose = requestedDataDir == null;
      Path logDir = dataDir.resolve("kraft-combined-logs");
      Files.createDirectories(logDir);
      port = requestedPort > 0 ? requestedPort : freePort();
      int controllerPort = requestedControllerPort > 0 ? requestedControllerPort : freePort();
      String voters =
          requestedVoters != null ? requestedVoters : nodeId + "@" + HOST + ":" + controllerPort;
      Properties props = brokerProperties(logDir, port, controllerPort, voters);
      format(logDir, clusterId(voters));
      KafkaConfig config = KafkaConfig.fromProps(props, false);
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      awaitReady();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the local Kafka broker in " + dataDir, e);
    }
    log.info(
        "Kafka broker {} ready at {} (data {}) in {} ms",
        nodeId,
        bootstrapServers(),
        dataDir,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    return this;
  }

  /** The {@code bootstrap.servers} value of this broker, e.g. {@code 127.0.0.1:9092}. */
  public String bootstrapServers() {
    if (server == null) {
      throw new IllegalStateException("the broker is not started");
    }
    return HOST + ":" + port;
  }

  /** The directory that holds the broker's logs and metadata. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Stops the broker (bounded by Kafka's own controlled shutdown) and deletes a temporary data dir.
   */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    long begin = System.nanoTime();
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      server = null;
      if (deleteDataDirOnClose) {
        deleteRecursively(dataDir);
      }
    }
    log.info(
        "Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
  }

  private Properties brokerProperties(
      Path logDir, int brokerPort, int controllerPort, String voters) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(nodeId));
    p.put("controller.quorum.voters", voters);
    String listener = saslSsl == null ? "PLAINTEXT" : "SASL_SSL";
    p.put(
        "listeners",
        listener
            + "://"
            + HOST
            + ":"
            + brokerPort
            + ",CONTROLLER://"
            + HOST
            + ":"
            + controllerPort);
    p.put("advertised.listeners", listener + "://" + HOST + ":" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", listener);
    if (saslSsl == null) {
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    } else {
      p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
      p.putAll(saslSsl.brokerProperties(listener, "CONTROLLER"));
    }
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "3");
    // the cluster's own topics are replicated as Oxbow's are: min(3, nodes), min ISR 2 from 3 up
    int nodes = voters.split(",").length;
    String replication = String.valueOf(Math.min(3, nodes));
    String minIsr = nodes >= 3 ? "2" : "1";
    p.put("default.replication.factor", replication);
    p.put("min.insync.replicas", minIsr);
    p.put("offsets.topic.replication.factor", replication);
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", replication);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", replication);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    // small segments keep compaction of the compacted contract topics observable on a laptop
    p.put("log.cleaner.backoff.ms", "1000");
    return p;
  }

  /**
   * The cluster id to format with: the one given, else one derived from the quorum voters when they
   * were given (so that every node started with the same voters formats to the same cluster without
   * sharing a generated id), else a random one.
   */
  private String clusterId(String voters) {
    if (requestedClusterId != null) {
      return requestedClusterId;
    }
    return requestedVoters == null ? Uuid.randomUuid().toString() : clusterIdOf(voters);
  }

  /** The cluster id every node with these {@code controller.quorum.voters} derives. */
  static String clusterIdOf(String voters) {
    try {
      ByteBuffer digest =
          ByteBuffer.wrap(
              MessageDigest.getInstance("SHA-256")
                  .digest(voters.trim().getBytes(StandardCharsets.UTF_8)));
      return new Uuid(digest.getLong(), digest.getLong()).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private void format(Path logDir, String clusterId) throws IOException {
    Path meta = logDir.resolve("meta.properties");
    if (Files.exists(meta)) {
      log.debug("reusing formatted data directory {}", logDir);
      return;
    }
    Formatter formatter =
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(nodeId)
            .setClusterId(clusterId)
            .addDirectory(logDir.toString())
            .setReleaseVersion(MetadataVersion.latestProduction())
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setControllerListenerName("CONTROLLER");
    if (saslSsl != null) {
      // the users go into the bootstrap snapshot that the controller replays at its first start
      formatter
          .setScramArguments(saslSsl.scramArguments())
          .setMetadataLogDirectory(logDir.toString())
          .setWriteBootstrapSnapshot(true);
    }
    try {
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException("could not format the KRaft data directory " + logDir, e);
    }
  }

  private void awaitReady() {
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
    if (saslSsl != null) {
      adminProps.putAll(saslSsl.brokerClientProperties());
    }
    long deadline = System.nanoTime() + startTimeout.toNanos();
    try (Admin admin = Admin.create(adminProps)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception notYet) {
          log.debug("broker not ready yet: {}", notYet.toString());
        }
        if (System.nanoTime() > deadline) {
          close();
          throw new IllegalStateException(
              "the local Kafka broker did not become ready within " + startTimeout);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(LocalKafka::deleteQuietly);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.debug("could not delete {}: {}", path, e.toString());
    }
  }

  /** Options of a {@link LocalKafka}. */
  public static final class Builder {
    private int nodeId = 1;
    private int controllerPort;
    private String voters;
    private String clusterId;
    private int port;
    private Path dataDir;
    private Duration startTimeout = Duration.ofSeconds(30);
    private SaslSsl saslSsl;

    private Builder() {}

    /** Port of the client listener on 127.0.0.1; default 0, a free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** This node's {@code node.id}; default 1. */
    public Builder nodeId(int nodeId) {
      if (nodeId < 0) {
        throw new IllegalArgumentException("node id must be >= 0, was " + nodeId);
      }
      this.nodeId = nodeId;
      return this;
    }

    /**
     * Port of the controller listener on 127.0.0.1; default 0, a free port (a node of a cluster
     * needs the port its {@link #controllerQuorumVoters} entry names).
     */
    public Builder controllerPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("controller port must be 0..65535, was " + port);
      }
      this.controllerPort = port;
      return this;
    }

    /**
     * The KRaft {@code controller.quorum.voters} of a cluster, e.g. {@code
     * 1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097}; default: this node alone. With more than
     * one voter a node becomes ready only once a majority of them runs, and the cluster's own
     * topics are replicated {@code min(3, voters)} times with min ISR 2 from three voters up.
     */
    public Builder controllerQuorumVoters(String voters) {
      if (voters != null && !voters.matches("\\d+@[^,@]+:\\d+(,\\d+@[^,@]+:\\d+)*")) {
        throw new IllegalArgumentException(
            "controller quorum voters must read id@host:port,id@host:port..., was " + voters);
      }
      this.voters = voters;
      return this;
    }

    /**
     * The cluster id a new data directory is formatted with; default: derived from {@link
     * #controllerQuorumVoters} when given (the same on every node), else random. A formatted
     * directory keeps its id.
     */
    public Builder clusterId(String clusterId) {
      this.clusterId = clusterId;
      return this;
    }

    /** Persistent data directory, reused across restarts; default: a temporary one. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** How long {@link #start()} waits for the broker to answer; default 30 s. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    /**
     * Makes the only client listener SASL_SSL (SCRAM-SHA-512 over TLS) with {@code listener}'s
     * certificates and users; default: one PLAINTEXT listener. The users are created when the data
     * directory is formatted, so a reused directory keeps the users it was formatted with.
     */
    public Builder saslSsl(SaslSsl listener) {
      this.saslSsl = listener;
      return this;
    }

    /** The broker, not yet started. */
    public LocalKafka build() {
      return new LocalKafka(this);
    }
  }
}
