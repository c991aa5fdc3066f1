package io.oxbow.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft cluster of {@link LocalKafka} nodes in this JVM (default three; each a combined broker
 * and controller), sharing one cluster id and one static controller quorum, each stoppable and
 * restartable on its own data directory with the same ports.
 *
 * <p>The nodes' client and controller ports are chosen once (free ports on 127.0.0.1), so {@link
 * #bootstrapServers()} names every node and stays valid across restarts. The cluster's own topics
 * (offsets, transaction state) get replication factor {@code min(3, nodes)} and min ISR 2 from
 * three nodes up. Data lives under {@link Builder#dataDir} ({@code node-<id>} per node), default a
 * temporary directory deleted on {@link #close()}.
 *
 * <pre>{@code
 * try (LocalKafkaCluster cluster = LocalKafkaCluster.builder().build().start()) {
 *   cluster.stop(2);    // node 2 down, the others serve
 *   cluster.restart(2); // back on its data, rejoining the ISRs
 * }
 * }</pre>
 */
public final class LocalKafkaCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalKafkaCluster.class);
  private static final String HOST = "127.0.0.1";

  private final int size;
  private final Path requestedDataDir;
  private final Duration startTimeout;
  private final Map<Integer, LocalKafka> nodes = new LinkedHashMap<>();
  private final Map<Integer, Integer> clientPorts = new LinkedHashMap<>();

  private Path dataDir;
  private boolean deleteDataDirOnClose;

  private LocalKafkaCluster(Builder builder) {
    this.size = builder.size;
    this.requestedDataDir = builder.dataDir;
    this.startTimeout = builder.startTimeout;
  }

  /** A builder with the defaults described on the class. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts every node at once (a node is ready only when a majority of the quorum runs) and waits
   * until each answers.
   *
   * @return this cluster, started
   * @throws IllegalStateException when a node is not ready within the start timeout
   */
  public synchronized LocalKafkaCluster start() {
    if (!nodes.isEmpty()) {
      return this;
    }
    try {
      dataDir =
          requestedDataDir != null
              ? requestedDataDir
              : Files.createTempDirectory("oxbow-kafka-cluster-");
      deleteDataDirOnClose = requestedDataDir == null;
      Map<Integer, Integer> controllerPorts = new LinkedHashMap<>();
      for (int id = 1; id <= size; id++) {
        clientPorts.put(id, freePort());
        controllerPorts.put(id, freePort());
      }
      String voters =
          controllerPorts.entrySet().stream()
              .map(e -> e.getKey() + "@" + HOST + ":" + e.getValue())
              .collect(Collectors.joining(","));
      for (int id = 1; id <= size; id++) {
        Path nodeDir = dataDir.resolve("node-" + id);
        Files.createDirectories(nodeDir);
        nodes.put(
            id,
            LocalKafka.builder()
                .nodeId(id)
                .port(clientPorts.get(id))
                .controllerPort(controllerPorts.get(id))
                .controllerQuorumVoters(voters)
                .dataDir(nodeDir)
                .startTimeout(startTimeout)
                .build());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the local Kafka cluster", e);
    }
    long begin = System.nanoTime();
    startAll(new ArrayList<>(nodes.values()));
    log.info(
        "Kafka cluster of {} nodes ready at {} in {} ms",
        size,
        bootstrapServers(),
        (System.nanoTime() - begin) / 1_000_000);
    return this;
  }

  /** Every node's address, e.g. {@code 127.0.0.1:40001,127.0.0.1:40003,127.0.0.1:40005}. */
  public String bootstrapServers() {
    return clientPorts.values().stream().map(p -> HOST + ":" + p).collect(Collectors.joining(","));
  }

  /** The node ids, 1 to the cluster's size. */
  public List<Integer> nodeIds() {
    return List.copyOf(nodes.keySet());
  }

  /** The node with {@code nodeId}. */
  public LocalKafka node(int nodeId) {
    LocalKafka node = nodes.get(nodeId);
    if (node == null) {
      throw new IllegalArgumentException("no node " + nodeId + " in " + nodes.keySet());
    }
    return node;
  }

  /** Stops one node (Kafka's controlled shutdown), keeping its data for {@link #restart}. */
  public void stop(int nodeId) {
    node(nodeId).close();
  }

  /** Starts a stopped node again on its data directory and ports. */
  public void restart(int nodeId) {
    node(nodeId).start();
  }

  /**
   * Stops every node at once and deletes a temporary data directory. One after the other would
   * leave the last nodes without a quorum to acknowledge their controlled shutdown.
   */
  @Override
  public synchronized void close() {
    try {
      inParallel(nodes.values().stream().<Runnable>map(n -> n::close).toList());
    } catch (CompletionException e) {
      log.warn("a node did not stop cleanly: {}", e.getCause().toString());
    }
    nodes.clear();
    if (deleteDataDirOnClose && dataDir != null) {
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(f -> f.delete());
      } catch (IOException e) {
        log.warn("could not delete {}: {}", dataDir, e.toString());
      }
    }
  }

  private void startAll(List<LocalKafka> toStart) {
    // a node's start blocks until the quorum has a leader, which needs a majority: all at once
    try {
      inParallel(toStart.stream().<Runnable>map(n -> n::start).toList());
    } catch (CompletionException e) {
      close();
      throw new IllegalStateException("the local Kafka cluster did not start", e.getCause());
    }
  }

  /** Runs every task on its own thread and waits for all; the first failure is thrown. */
  private static void inParallel(List<Runnable> tasks) {
    ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, tasks.size()));
    try {
      CompletableFuture.allOf(
              tasks.stream()
                  .map(t -> CompletableFuture.runAsync(t, threads))
                  .toArray(CompletableFuture[]::new))
          .join();
    } finally {
      threads.shutdown();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /** Options of a {@link LocalKafkaCluster}. */
  public static final class Builder {
    private int size = 3;
    private Path dataDir;
    private Duration startTimeout = Duration.ofSeconds(90);

    private Builder() {}

    /** How many nodes; default 3. */
    public Builder nodes(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("a cluster has at least one node, was " + size);
      }
      this.size = size;
      return this;
    }

    /** Directory holding {@code node-<id>} per node, kept; default: a temporary one. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** How long each node's start waits; default 90 s. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    /** The cluster, not yet started. */
    public LocalKafkaCluster build() {
      return new LocalKafkaCluster(this);
    }
  }
}
