package io.oxbow.serving;

import io.javalin.http.staticfiles.Location;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LakeStorages;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.runtime.http.HttpService;
import io.oxbow.runtime.http.security.HttpSecurity;
import io.oxbow.runtime.http.security.HttpSecurityConfig;
import io.oxbow.runtime.kafka.KafkaStartCheck;
import io.oxbow.runtime.lifecycle.Lifecycle;
import io.oxbow.serving.http.ApiRoutes;
import io.oxbow.serving.http.ServingAccess;
import io.oxbow.serving.lake.ParquetBatchViews;
import io.oxbow.serving.ops.ConsumerLag;
import io.oxbow.serving.ops.DeadLetterStore;
import io.oxbow.serving.ops.DroppedCounts;
import io.oxbow.serving.ops.StatusService;
import io.oxbow.serving.query.QueryEngine;
import io.oxbow.serving.speed.SpeedViewStore;
import io.oxbow.views.ViewCatalog;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The serving API as one object: starts the speed view store and dead-letter store (both rebuilt
 * from Kafka), the batch view reader over the lake, the query engine and the HTTP server with the
 * API under {@code /api/v1} and the dashboard at {@code /}. The demo runs it in-process; {@code
 * oxbow serve} runs it until interrupted.
 *
 * <pre>{@code
 * try (ServingApp app = ServingApp.start(ServeConfig.from(ConfigSource.ofFlags(Map.of())))) {
 *   log.info("dashboard at {}/", app.baseUrl());
 * }
 * }</pre>
 *
 * <p>Access: {@link ServingAccess} ({@code read} for the API, {@code admin} for dead letters) with
 * the keys of the {@link HttpSecurityConfig} given to {@link #start(ServeConfig, ViewCatalog,
 * HttpSecurityConfig)}; the shorter {@code start} methods run without keys (loopback only).
 *
 * <p>{@code /health/ready} is UP once the speed view topics and the dead-letter topic have been
 * read up to their end offsets at start, and DOWN while a reader of them has failed and not yet
 * recovered (it restarts with a growing pause, see {@link io.oxbow.runtime.kafka.TopicTail}), or
 * while the lake cannot be read (one view's published manifest, read at each check).
 */
public final class ServingApp implements AutoCloseable {
  /** Folder (under java.io.tmpdir) of files downloaded from an S3 lake while they are decoded. */
  private static final String READ_STAGING = "oxbow-serve-reads";

  private final Lifecycle lifecycle;
  private final HttpService http;
  private final SpeedViewStore speed;

  private ServingApp(Lifecycle lifecycle, HttpService http, SpeedViewStore speed) {
    this.lifecycle = lifecycle;
    this.http = http;
    this.speed = speed;
  }

  /** Starts the serving API with the views of {@code config} (defaults plus its views file). */
  public static ServingApp start(ServeConfig config) {
    ViewCatalog catalog =
        config.viewsFile().map(ViewCatalog::load).orElseGet(ViewCatalog::defaults);
    return start(config, catalog);
  }

  /** Starts the serving API over {@code catalog}'s views, without keys. */
  public static ServingApp start(ServeConfig config, ViewCatalog catalog) {
    return start(config, catalog, HttpSecurityConfig.none("serve"));
  }

  /**
   * Starts the serving API over {@code catalog}'s views, secured by {@code security} ({@link
   * ServeConfig#SECURITY}).
   *
   * @throws io.oxbow.runtime.config.ConfigException naming the setting when Kafka refuses the
   *     client's credentials or the client does not trust the broker's certificate
   */
  public static ServingApp start(
      ServeConfig config, ViewCatalog catalog, HttpSecurityConfig security) {
    return start(config, catalog, security, LakeStorages.open(config.lake(), READ_STAGING));
  }

  /**
   * As {@link #start(ServeConfig, ViewCatalog, HttpSecurityConfig)}, reading the batch views from
   * {@code lake} (closed with the app) instead of the lake {@code config} names.
   */
  static ServingApp start(
      ServeConfig config, ViewCatalog catalog, HttpSecurityConfig security, LakeStorage lake) {
    Lifecycle lifecycle = Lifecycle.create("serving-api");
    lifecycle.register(lake);
    try {
      KafkaStartCheck.verify(
          config.bootstrapServers(), ServeConfig.BOOTSTRAP_SERVERS.key(), config.kafkaSecurity());
      Properties kafka = new Properties();
      kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
      config.kafkaSecurity().applyTo(kafka);
      ParquetBatchViews batch =
          new ParquetBatchViews(lake, config.batchCacheBytes(), config.batchCacheEntries());
      String probeView = catalog.names().iterator().next();
      SpeedViewStore speed =
          lifecycle.register(
              new SpeedViewStore(
                      catalog,
                      config.speedTopicPrefix(),
                      kafka,
                      deserializer(config, true),
                      deserializer(config, false),
                      batch::watermark,
                      config.speedMargin())
                  .start());
      DeadLetterStore deadLetters =
          lifecycle.register(new DeadLetterStore(config.dlqTopic(), kafka, 500).start());
      ConsumerLag lag = lifecycle.register(new ConsumerLag(kafka));
      QueryEngine engine =
          new QueryEngine(
              catalog,
              batch,
              speed,
              config.queryLimits(),
              config.queryCacheBytes(),
              config.queryCacheEntries(),
              config.maxGroupsPerWindow());
      StatusService status =
          new StatusService(
              catalog,
              batch,
              speed,
              deadLetters,
              lag,
              config.streamGroup(),
              config.batchGroup(),
              config.streamMetricsUrl().map(DroppedCounts::new));
      ApiRoutes api = new ApiRoutes(engine, status, deadLetters);
      HttpService http =
          lifecycle.register(
              HttpService.builder("serving-api")
                  .host(config.host())
                  .port(config.port())
                  .security(
                      HttpSecurity.builder(security, new ServingAccess())
                          .exposure("read your traffic data and the raw dead-lettered log lines")
                          .build())
                  .readiness(
                      "speed-view",
                      timeout -> {
                        speed.checkRunning();
                        deadLetters.checkRunning();
                        if (!speed.caughtUp() || !deadLetters.caughtUp()) {
                          throw new IllegalStateException("still reading the speed view topics");
                        }
                      })
                  .readiness(
                      "lake",
                      timeout -> {
                        try {
                          batch.checkReadable(probeView);
                        } catch (java.io.IOException e) {
                          throw new IllegalStateException(
                              "cannot read the lake " + lake.location() + ": " + e.getMessage());
                        }
                      })
                  .routes(api::register)
                  .configure(
                      c -> {
                        c.staticFiles.enableWebjars();
                        c.staticFiles.add("/io/oxbow/serving/web", Location.CLASSPATH);
                      })
                  .build());
      speed.bindMetrics(http.meterRegistry());
      engine.bindMetrics(http.meterRegistry());
      http.start();
      return new ServingApp(lifecycle, http, speed);
    } catch (RuntimeException e) {
      lifecycle.close();
      throw e;
    }
  }

  private static Deserializer<Object> deserializer(ServeConfig config, boolean isKey) {
    AvroDeserializer deserializer = new AvroDeserializer();
    deserializer.configure(
        Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, config.schemaRegistryUrl()), isKey);
    return deserializer;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return http.baseUrl();
  }

  /** The bound port. */
  public int port() {
    return http.port();
  }

  /** True once the speed view has been read up to the end offsets at start. */
  public boolean caughtUp() {
    return speed.caughtUp();
  }

  /** Stops the HTTP server and the consumers (bounded, 10 s). */
  @Override
  public void close() {
    lifecycle.close();
  }
}
