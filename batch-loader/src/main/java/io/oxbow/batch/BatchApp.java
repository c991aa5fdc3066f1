package io.oxbow.batch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.DeadLetterSink;
import io.oxbow.batch.landing.Lander;
import io.oxbow.batch.landing.LandingSettings;
import io.oxbow.batch.landing.RegistryDecoder;
import io.oxbow.batch.retention.RetentionEnforcer;
import io.oxbow.batch.upstream.KafkaOffsets;
import io.oxbow.batch.upstream.KafkaTopicInputs;
import io.oxbow.batch.upstream.TopicInputs;
import io.oxbow.batch.view.BatchCompactor;
import io.oxbow.batch.view.BatchViewReader;
import io.oxbow.batch.view.PartialWriter;
import io.oxbow.batch.view.SpeedTopicCleaner;
import io.oxbow.batch.view.VisitCompactor;
import io.oxbow.batch.view.WatermarkDecision;
import io.oxbow.batch.view.WatermarkPolicy;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LakeStorages;
import io.oxbow.runtime.http.HttpService;
import io.oxbow.runtime.http.KafkaReadinessCheck;
import io.oxbow.runtime.kafka.KafkaStartCheck;
import io.oxbow.runtime.lifecycle.Lifecycle;
import io.oxbow.runtime.lifecycle.SupervisedWorker;
import io.oxbow.views.ViewCatalog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch loader, runnable in-process (the demo does) or through {@code oxbow batch}: lands the
 * configured topics as Parquet ({@link Lander}), compacts closed hours into the batch views and
 * advances the watermark ({@link BatchCompactor}, every {@code batch.compaction-interval}, in the
 * instance that owns partition 0 of the first dataset's topic; the other instances fold the closed
 * hours of the partitions they land into partial aggregates it merges, {@link PartialWriter}; then
 * the views of visits, sessionized from the landed access logs by {@link VisitCompactor}), and
 * serves {@code /health/live}, {@code /health/ready} (checks {@code kafka} and {@code landing}),
 * {@code /metrics} (among others {@code oxbow_batch_watermark{view=...}}, one series per configured
 * view) and {@code /status} (why each dataset's watermark stands where it does, {@link
 * WatermarkStatus}). The lander runs as a {@link SupervisedWorker}: one that fails is replaced with
 * backoff, and {@code landing} is down until the replacement has run a while.
 *
 * <pre>{@code
 * try (BatchApp app = BatchApp.start(BatchConfig.of(Map.of(
 *     "batch.bootstrap-servers", bootstrap, "batch.schema-registry-url", registry)))) {
 *   OptionalLong w = app.reader().watermark("traffic");
 * }
 * }</pre>
 */
public final class BatchApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BatchApp.class);

  private final BatchConfig config;
  private final Lifecycle lifecycle;
  private final LakeStorage storage;
  private final MeterRegistry meters;
  private final LandingSettings landingSettings;
  private final RegistryDecoder decoder;
  private final DeadLetterSink deadLetters;
  private SupervisedWorker<Lander> landing;
  private final BatchCompactor compactor;
  private final PartialWriter partials;
  private final HttpService http;
  private final Admin admin;
  private final KafkaOffsets offsets;
  private final ViewCatalog catalog;
  private final Map<String, Long> watermarks = new ConcurrentHashMap<>();
  private final Optional<SpeedTopicCleaner> speedCleaner;
  private final RetentionEnforcer retention;
  private final Optional<VisitCompactor> visits;

  private BatchApp(BatchConfig config, String httpHost) {
    this.config = config;
    this.lifecycle = Lifecycle.create("batch", Duration.ofSeconds(20));
    this.storage = lifecycle.register(LakeStorages.open(config.lake(), "oxbow-batch-staging"));
    this.admin = lifecycle.register(Admin.create(kafkaClient(config)));
    this.offsets = lifecycle.register(new KafkaOffsets(admin, kafkaClient(config)));
    this.catalog = catalog(config);
    this.compactor =
        new BatchCompactor(
            storage,
            config.datasets(),
            catalog,
            new WatermarkPolicy(config.allowedLateness(), config.idleTimeout()),
            topic ->
                new KafkaTopicInputs(
                    offsets,
                    topic,
                    config.upstream().groupId(),
                    config.upstream().inputsOf(topic)));
    this.visits = VisitCompactor.of(storage, config.datasets(), catalog, config.visits());
    this.partials = compactor.partialWriter();
    WatermarkStatus status =
        new WatermarkStatus(config, catalog, compactor, reader(), this::compacting);
    KafkaReadinessCheck kafkaCheck =
        lifecycle.register(KafkaReadinessCheck.of(kafkaClient(config)));
    this.http =
        HttpService.builder("batch")
            .host(httpHost)
            .port(config.httpPort())
            .readiness("kafka", kafkaCheck)
            .readiness(
                "landing",
                timeout -> {
                  landing.readiness().check(timeout);
                  if (!landerHealthy()) {
                    throw new IllegalStateException("landing has not committed successfully yet");
                  }
                })
            .routes(r -> r.get("/status", ctx -> ctx.json(status.document())))
            .build();
    this.meters = http.meterRegistry();
    status.bind(meters);
    this.retention = new RetentionEnforcer(storage, config.datasets(), catalog, config.retention());
    retention.bindMetrics(meters);
    PartialMetrics.bind(meters, compactor.partitionSources(), partials);
    for (String view : catalog.names()) {
      Gauge.builder("oxbow.batch.watermark", watermarks, w -> watermarkOf(w, view))
          .description(
              "Batch watermark W of the view, epoch millis: every window ending at or before it is"
                  + " final; NaN until this instance's compaction publishes one")
          .tag("view", view)
          .register(meters);
    }
    this.landingSettings =
        new LandingSettings(
            config.bootstrapServers(),
            config.groupId(),
            config.datasets(),
            config.roll(),
            Duration.ofMillis(200),
            config.kafkaSecurity().applyTo(new HashMap<>()));
    this.decoder = new RegistryDecoder(config.schemaRegistryUrl(), Map.of());
    this.speedCleaner =
        config.speedCleanupMargin().isZero()
            ? Optional.empty()
            : Optional.of(
                lifecycle.register(
                    new SpeedTopicCleaner(
                        catalog,
                        config.speedTopicPrefix(),
                        kafkaClient(config),
                        config.schemaRegistryUrl(),
                        config.speedCleanupMargin(),
                        Duration.ofSeconds(30))));
    speedCleaner.ifPresent(c -> c.bindMetrics(meters));
    this.deadLetters =
        lifecycle.register(
            new DeadLetterSink(
                config.bootstrapServers(),
                config.kafkaSecurity().applyTo(new HashMap<>()),
                config.dlqTopic()));
  }

  /** The bootstrap servers and the security settings every Kafka client of the loader gets. */
  private static Map<String, Object> kafkaClient(BatchConfig config) {
    Map<String, Object> client = new HashMap<>();
    client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return config.kafkaSecurity().applyTo(client);
  }

  /** Starts landing, compaction and the HTTP endpoints (on 127.0.0.1). */
  public static BatchApp start(BatchConfig config) {
    return start(config, "127.0.0.1");
  }

  /**
   * Starts landing, compaction and the HTTP endpoints on {@code httpHost} ({@code batch.http-host},
   * default 127.0.0.1).
   *
   * @throws io.oxbow.runtime.config.ConfigException naming the setting when Kafka refuses the
   *     client's credentials or the client does not trust the broker's certificate
   */
  public static BatchApp start(BatchConfig config, String httpHost) {
    KafkaStartCheck.verify(
        config.bootstrapServers(), BatchConfig.BOOTSTRAP_SERVERS.key(), config.kafkaSecurity());
    BatchApp app = new BatchApp(config, httpHost);
    app.run();
    return app;
  }

  private void run() {
    // a lander that dies is replaced (it resumes from the manifests) and fails readiness meanwhile
    landing =
        lifecycle.register(
            SupervisedWorker.start(
                "batch-lander",
                () ->
                    new Lander(
                        landingSettings,
                        storage,
                        decoder,
                        deadLetters,
                        Clock.systemUTC(),
                        meters)));
    speedCleaner.ifPresent(SpeedTopicCleaner::start);
    lifecycle.register(http.start());
    if (!config.compactionInterval().isZero()) {
      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "batch-compactor");
                t.setDaemon(true);
                return t;
              });
      long every = config.compactionInterval().toMillis();
      scheduler.scheduleWithFixedDelay(this::compactIfLeader, every, every, TimeUnit.MILLISECONDS);
      lifecycle.register(
          () -> {
            scheduler.shutdownNow();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
          });
    }
    log.info(
        "batch loader: landing {} into {}",
        config.datasets().stream().map(DatasetSpec::topic).toList(),
        storage.location());
  }

  private boolean landerHealthy() {
    return landing.current().map(Lander::healthy).orElse(false);
  }

  private boolean compacting() {
    String firstTopic = config.datasets().get(0).topic();
    return landing != null && landing.current().map(l -> l.owns(firstTopic, 0)).orElse(false);
  }

  private void compactIfLeader() {
    if (!compacting()) {
      foldPartials();
      return;
    }
    try {
      // retention first: what a crash left of a removal is gone before the compactor lists hours
      retention.enforce(System.currentTimeMillis());
      compactor.runOnce(System.currentTimeMillis(), this::landedHere);
      if (visits.isPresent()) {
        WatermarkDecision logs = compactor.decisions().get(visits.get().topic());
        visits.get().runOnce(logs == null ? Long.MIN_VALUE : logs.closedUpTo());
      }
      Map<String, Long> published = publishedWatermarks();
      watermarks.putAll(published);
      cleanSpeedTopics(published);
    } catch (IOException | RuntimeException e) {
      log.error("compaction of the batch views failed; retrying next cycle", e);
    }
  }

  /**
   * On an instance that does not compact: folds the closed hours of the partitions it lands into
   * partial aggregates for the compacting instance to merge ({@link PartialWriter}).
   */
  private void foldPartials() {
    try {
      partials.runOnce(System.currentTimeMillis(), this::landedHere);
    } catch (IOException | RuntimeException e) {
      log.warn("folding partial aggregates failed; the compacting instance folds those rows", e);
    }
  }

  private boolean landedHere(String topic, int partition) {
    return landing != null && landing.current().map(l -> l.owns(topic, partition)).orElse(false);
  }

  /** The watermark each view has published, read once per compaction cycle. */
  private Map<String, Long> publishedWatermarks() throws IOException {
    BatchViewReader reader = reader();
    Map<String, Long> published = new LinkedHashMap<>();
    for (String view : catalog.names()) {
      reader.watermark(view).ifPresent(w -> published.put(view, w));
    }
    return published;
  }

  /**
   * Removes from the speed topics the windows the published batch views hold ({@link
   * SpeedTopicCleaner}); only the compacting instance calls it, after publishing.
   */
  private void cleanSpeedTopics(Map<String, Long> published) {
    speedCleaner.ifPresent(cleaner -> published.forEach(cleaner::clean));
  }

  private static double watermarkOf(Map<String, Long> watermarks, String view) {
    Long w = watermarks.get(view);
    return w == null ? Double.NaN : w;
  }

  /**
   * Rebuilds the views' hours in {@code [fromMillis, toMillis)} of the configured lake from its
   * landed data, without consuming anything ({@code oxbow batch --recompute FROM TO}).
   *
   * @return the hours rebuilt
   * @throws IllegalArgumentException naming the range when retention removed landed rows of it
   */
  public static int recompute(BatchConfig config, long fromMillis, long toMillis)
      throws IOException {
    try (LakeStorage lake = LakeStorages.open(config.lake(), "oxbow-batch-staging")) {
      RetentionEnforcer.checkRecompute(
          lake, config.datasets(), catalog(config), fromMillis, toMillis);
      BatchCompactor compactor =
          new BatchCompactor(
              lake,
              config.datasets(),
              catalog(config),
              new WatermarkPolicy(config.allowedLateness(), config.idleTimeout()),
              topic -> TopicInputs.withoutUpstream(0));
      int rebuilt = compactor.recompute(fromMillis, toMillis);
      Optional<VisitCompactor> visits =
          VisitCompactor.of(lake, config.datasets(), catalog(config), config.visits());
      return rebuilt + (visits.isPresent() ? visits.get().recompute(fromMillis, toMillis) : 0);
    }
  }

  private static ViewCatalog catalog(BatchConfig config) {
    return config.viewsFile().map(ViewCatalog::load).orElseGet(ViewCatalog::defaults);
  }

  /** A reader of this lake's batch views and watermarks. */
  public BatchViewReader reader() {
    return new BatchViewReader(storage);
  }

  /** The lake. */
  public LakeStorage storage() {
    return storage;
  }

  /** Rows published since start. */
  public long rowsLanded() {
    return (long) meters.counter("oxbow.batch.landed.rows").count();
  }

  /** The base URL of the health and metrics endpoints. */
  public String httpUrl() {
    return http.baseUrl();
  }

  /** Stops landing (uncommitted rows are replayed on the next start), compaction and HTTP. */
  @Override
  public void close() {
    lifecycle.close();
  }
}
