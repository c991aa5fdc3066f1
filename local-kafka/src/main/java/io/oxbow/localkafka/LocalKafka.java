package io.oxbow.localkafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A real Apache Kafka broker in KRaft mode (one node, combined broker and controller), running in
 * this JVM from Kafka's own server jars.
 *
 * <p>Transactions, idempotent producers and exactly-once Kafka Streams work on it: the internal
 * topics (offsets, transaction state, share-group state) are created with replication factor 1 and
 * min ISR 1. Defaults: listener on 127.0.0.1 at a free port, a temporary data directory deleted on
 * {@link #close()}, 3 partitions for auto-created topics, no initial rebalance delay. With {@link
 * Builder#dataDir(Path)} the data survives restarts: a formatted directory is reused with its
 * cluster id. With {@link Builder#saslSsl(SaslSsl)} the only client listener is SASL_SSL
 * (SCRAM-SHA-512 over TLS; see {@link SaslSsl}).
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.builder().build().start()) {
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);
  private static final int NODE_ID = 1;
  private static final String HOST = "127.0.0.1";

  private final int requestedPort;
  private final Path requestedDataDir;
  private final Duration startTimeout;
  private final SaslSsl saslSsl;

  private Path dataDir;
  private boolean deleteDataDirOnClose;
  private int port;
  private KafkaRaftServer server;

  private LocalKafka(Builder builder) {
    this.requestedPort = builder.port;
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
      int controllerPort = freePort();
      Properties props = brokerProperties(logDir, port, controllerPort);
      format(logDir);
      KafkaConfig config = KafkaConfig.fromProps(props, false);
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      awaitReady();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the local Kafka broker in " + dataDir, e);
    }
    log.info(
        "Kafka broker ready at {} (data {}) in {} ms",
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

  private Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
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
    p.put("default.replication.factor", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    // small segments keep compaction of the compacted contract topics observable on a laptop
    p.put("log.cleaner.backoff.ms", "1000");
    return p;
  }

  private void format(Path logDir) throws IOException {
    Path meta = logDir.resolve("meta.properties");
    if (Files.exists(meta)) {
      log.debug("reusing formatted data directory {}", logDir);
      return;
    }
    Formatter formatter =
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(NODE_ID)
            .setClusterId(Uuid.randomUuid().toString())
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
