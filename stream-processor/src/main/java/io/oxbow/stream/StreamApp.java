package io.oxbow.stream;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.oxbow.runtime.http.HttpService;
import io.oxbow.runtime.http.ServiceMetrics;
import io.oxbow.runtime.kafka.KafkaStartCheck;
import io.oxbow.runtime.kafka.TopicReplication;
import io.oxbow.stream.enrich.UserAgentClassifier;
import io.oxbow.stream.topology.StreamMetrics;
import io.oxbow.stream.topology.StreamSerdes;
import io.oxbow.views.ViewCatalog;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream processor as an object: creates missing topics, builds the topology ({@link
 * StreamTopology}) and runs it with Kafka Streams, and serves {@code /health/live}, {@code
 * /health/ready} (ready while Kafka Streams is RUNNING) and {@code /metrics} (Prometheus: the
 * processor's counters, Kafka Streams' client metrics, JVM). Used by {@code oxbow stream} and by
 * the demo in-process.
 *
 * <pre>{@code
 * try (StreamApp app = StreamApp.start(StreamConfig.from(source), ViewCatalog.defaults())) {
 *   app.awaitRunning(Duration.ofSeconds(60));
 * }
 * }</pre>
 *
 * <p>A stream thread that dies of an unexpected error is replaced; poison records never reach that
 * point (they go to the DLQ, see {@link DeadLetteringExceptionHandlers}). After an unclean stop the
 * global store is rebuilt from its topic ({@link GlobalStateRecovery}), so a restart with the same
 * state directory always starts.
 */
public final class StreamApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamApp.class);
  private static final Duration DEFAULT_CLOSE = Duration.ofSeconds(30);

  private final KafkaStreams streams;
  private final HttpService http;
  private final ServiceMetrics serviceMetrics;
  private final KafkaStreamsMetrics streamsMetrics;
  private final StreamMetrics metrics;
  private final GlobalStateRecovery recovery;

  private StreamApp(
      KafkaStreams streams,
      HttpService http,
      ServiceMetrics serviceMetrics,
      KafkaStreamsMetrics streamsMetrics,
      StreamMetrics metrics,
      GlobalStateRecovery recovery) {
    this.streams = streams;
    this.recovery = recovery;
    this.http = http;
    this.serviceMetrics = serviceMetrics;
    this.streamsMetrics = streamsMetrics;
    this.metrics = metrics;
  }

  /**
   * Starts the processor and its HTTP endpoints; returns once Kafka Streams has been started (it
   * reaches RUNNING asynchronously, see {@link #awaitRunning}).
   */
  public static StreamApp start(StreamConfig config, ViewCatalog views) {
    return start(config, views, 3);
  }

  /**
   * Like {@link #start(StreamConfig, ViewCatalog)}, creating missing topics with partitions.
   *
   * @throws io.oxbow.runtime.config.ConfigException naming the setting when Kafka refuses the
   *     client's credentials or the client does not trust the broker's certificate
   */
  public static StreamApp start(StreamConfig config, ViewCatalog views, int partitions) {
    return start(config, views, partitions, "127.0.0.1");
  }

  /**
   * Like {@link #start(StreamConfig, ViewCatalog, int)}, with the health and metrics endpoints on
   * {@code httpHost} ({@code stream.http-host}, default 127.0.0.1).
   */
  public static StreamApp start(
      StreamConfig config, ViewCatalog views, int partitions, String httpHost) {
    KafkaStartCheck.verify(
        config.bootstrapServers(), StreamConfig.BOOTSTRAP_SERVERS.key(), config.kafkaSecurity());
    TopicReplication replication = TopicSetup.ensure(config, views, partitions);
    ServiceMetrics serviceMetrics = ServiceMetrics.create("stream");
    StreamMetrics metrics = new StreamMetrics(serviceMetrics.registry());
    GlobalStateRecovery recovery =
        new GlobalStateRecovery(config.stateDir(), config.applicationId());
    if (recovery.prepare()) {
      metrics.globalStoreRebuilt();
    }
    UserAgentClassifier userAgents = new UserAgentClassifier(config.uaCacheSize());
    Topology topology =
        StreamTopology.build(
            config, StreamSerdes.registry(config.schemaRegistryUrl()), views, userAgents, metrics);
    Properties props = config.streamsProperties();
    props.putAll(replication.streamsConfig());
    props.put(StreamMetrics.CONFIG_KEY, metrics);
    KafkaStreams streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(
        e -> {
          log.error("stream thread failed; replacing it", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setStateListener((now, before) -> log.info("Kafka Streams {} -> {}", before, now));
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(serviceMetrics.registry());
    HttpService http =
        HttpService.builder("stream")
            .host(httpHost)
            .port(config.httpPort())
            .metrics(serviceMetrics)
            .readiness(
                "streams",
                timeout -> {
                  KafkaStreams.State state = streams.state();
                  if (state != KafkaStreams.State.RUNNING) {
                    throw new IllegalStateException("Kafka Streams is " + state);
                  }
                })
            .build()
            .start();
    streams.start();
    log.info(
        "stream processor {} started (processing.guarantee={})",
        config.applicationId(),
        config.exactlyOnce() ? "exactly_once_v2" : "at_least_once");
    return new StreamApp(streams, http, serviceMetrics, streamsMetrics, metrics, recovery);
  }

  /** Waits until Kafka Streams is RUNNING; false when {@code timeout} passed first. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline
          || !streams.state().isRunningOrRebalancing()
              && streams.state() != KafkaStreams.State.CREATED) {
        return streams.state() == KafkaStreams.State.RUNNING;
      }
      synchronized (this) {
        wait(50);
      }
    }
    return true;
  }

  /** Kafka Streams' state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /** The processor's counters. */
  public StreamMetrics metrics() {
    return metrics;
  }

  /** Base URL of the health and metrics endpoints. */
  public String httpUrl() {
    return http.baseUrl();
  }

  /**
   * Stops Kafka Streams (committing) within {@code timeout}, then the HTTP server; marks the state
   * directory as cleanly stopped when Kafka Streams stopped in time.
   */
  public void close(Duration timeout) {
    boolean stopped = streams.close(timeout);
    if (stopped) {
      recovery.markCleanStop();
    } else {
      log.warn("Kafka Streams did not stop within {}", timeout);
    }
    streamsMetrics.close();
    http.close();
    serviceMetrics.close();
  }

  /** {@link #close(Duration)} with 30 s. */
  @Override
  public void close() {
    close(DEFAULT_CLOSE);
  }
}
