package io.oxbow.cli.demo;

import io.oxbow.batch.BatchApp;
import io.oxbow.batch.BatchConfig;
import io.oxbow.contracts.TopicNames;
import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.ingest.IngestApp;
import io.oxbow.ingest.IngestConfig;
import io.oxbow.localkafka.LocalKafka;
import io.oxbow.localkafka.SaslSsl;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.DeploymentSettings;
import io.oxbow.runtime.http.security.ApiKeyRing;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import io.oxbow.runtime.lifecycle.Lifecycle;
import io.oxbow.serving.ServeConfig;
import io.oxbow.serving.ServingApp;
import io.oxbow.stream.StreamApp;
import io.oxbow.stream.StreamConfig;
import io.oxbow.stream.geoip.GeoIpLoader;
import io.oxbow.views.ViewCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every part of the pipeline in this process, started in dependency order on one data directory:
 * the KRaft broker ({@code <data>/kafka}), the schema registry, geo-IP ranges (loaded once), the
 * ingest app and the serving API (both accepting a generated API key with every permission: the key
 * in {@code <data>/demo/api-key}, its hashed entry in the key file {@code
 * <data>/demo/api-key.entry}, both readable by their owner only), the stream processor ({@code
 * <data>/streams}), the batch loader ({@code <data>/lake}) and the serving API. {@link #close()}
 * stops them in reverse order within 10 s.
 *
 * <p>The broker has one PLAINTEXT listener, or with a {@link SaslSsl} a SASL_SSL listener only;
 * then every client of every service (and of this stack) connects with the security settings of
 * {@code kafka.client-config} / {@code kafka.client.*} in the settings given to {@link #start}.
 *
 * <p>Every service reads the deployment-wide settings ({@code oxbow.views-file} among them, so a
 * views file given once reaches the speed layer, the batch layer and the serving API alike).
 *
 * <p>Ports are the services' defaults plus an offset: Kafka 9092, registry 8081, ingest 8080,
 * serving API 8070, stream-processor health 8082, batch-loader health 8083.
 */
public final class DemoStack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoStack.class);

  private final Lifecycle lifecycle = Lifecycle.create("demo", Duration.ofSeconds(10));
  private LocalKafka kafka;
  private SchemaRegistryServer registry;
  private IngestApp ingest;
  private ServingApp serving;
  private String apiKey;
  private KafkaClientSecurity kafkaSecurity = KafkaClientSecurity.none();
  private Optional<Path> configFile = Optional.empty();

  private DemoStack() {}

  /**
   * Starts everything.
   *
   * @param dataDir the demo's state, kept across runs
   * @param portOffset added to every default port
   * @param geoIpFiles ranges to load when {@code ref.geoip} is still empty
   * @param settings further settings (flags, environment, file) for every service
   */
  public static DemoStack start(
      Path dataDir, int portOffset, List<Path> geoIpFiles, Map<String, String> settings)
      throws IOException, InterruptedException {
    return start(dataDir, portOffset, geoIpFiles, settings, null);
  }

  /**
   * Starts everything on a broker whose only client listener is {@code saslSsl}'s; {@code settings}
   * then carry the clients' security ({@code kafka.client-config} or {@code kafka.client.*}).
   *
   * @param saslSsl the broker's SASL_SSL listener; null: PLAINTEXT, and the clients' security
   *     settings are ignored
   */
  public static DemoStack start(
      Path dataDir,
      int portOffset,
      List<Path> geoIpFiles,
      Map<String, String> settings,
      SaslSsl saslSsl)
      throws IOException, InterruptedException {
    return start(dataDir, portOffset, geoIpFiles, settings, saslSsl, null);
  }

  /**
   * Starts everything, with {@code configFile} as the services' properties file.
   *
   * @param configFile the properties file below {@code settings} and the environment (null: the one
   *     named by {@code OXBOW_CONFIG}, if any)
   */
  public static DemoStack start(
      Path dataDir,
      int portOffset,
      List<Path> geoIpFiles,
      Map<String, String> settings,
      SaslSsl saslSsl,
      Path configFile)
      throws IOException, InterruptedException {
    DemoStack stack = new DemoStack();
    stack.configFile = Optional.ofNullable(configFile);
    try {
      stack.startAll(dataDir.toAbsolutePath(), portOffset, geoIpFiles, settings, saslSsl);
      return stack;
    } catch (IOException | InterruptedException | RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(
      Path dataDir,
      int offset,
      List<Path> geoIpFiles,
      Map<String, String> settings,
      SaslSsl saslSsl)
      throws IOException, InterruptedException {
    Map<String, String> flags = new HashMap<>(settings);
    LocalKafka.Builder broker =
        LocalKafka.builder().port(9092 + offset).dataDir(dataDir.resolve("kafka"));
    if (saslSsl == null) {
      // the local broker is PLAINTEXT whatever the environment says
      flags.put(KafkaClientSecurity.CLIENT_CONFIG.key(), "");
      flags.keySet().removeIf(k -> k.startsWith(KafkaClientSecurity.PREFIX));
    } else {
      broker.saslSsl(saslSsl);
      kafkaSecurity = KafkaClientSecurity.from(ConfigSource.load(flags, configFile));
    }
    kafka = lifecycle.register(broker.build());
    kafka.start();
    String bootstrap = kafka.bootstrapServers();
    SchemaRegistryServer.Builder registryBuilder =
        SchemaRegistryServer.builder(bootstrap).port(8081 + offset);
    kafkaSecurity.applyTo(new HashMap<>()).forEach(registryBuilder::kafkaProperty);
    registry = lifecycle.register(registryBuilder.start());
    loadGeoIpOnce(bootstrap, registry.url(), geoIpFiles);
    apiKey = apiKey(dataDir.resolve("demo/api-key"));
    flags.putAll(
        serviceFlags(
            dataDir,
            offset,
            bootstrap,
            registry.url(),
            dataDir.resolve("demo/api-key.entry"),
            flags));
    ConfigSource source = ConfigSource.load(flags, configFile);
    StreamConfig streamConfig = StreamConfig.from(source);
    // the batch watermark waits for the stream processor's group: pass its application id on,
    // unless the batch loader was told otherwise
    if (!flags.containsKey(BatchConfig.UPSTREAM_GROUP_ID.key())
        && System.getenv(BatchConfig.UPSTREAM_GROUP_ID.envName()) == null) {
      flags.put(BatchConfig.UPSTREAM_GROUP_ID.key(), streamConfig.applicationId());
      source = ConfigSource.load(flags, configFile);
    }

    ingest =
        lifecycle.register(
            IngestApp.builder(IngestConfig.from(source))
                .security(IngestConfig.SECURITY.read(source))
                .build());
    ingest.start();
    StreamApp stream =
        lifecycle.register(
            StreamApp.start(streamConfig, views(source.find(StreamConfig.VIEWS_FILE))));
    lifecycle.register(BatchApp.start(BatchConfig.from(source)));
    // the serving API reports the stream processor's dropped counts from its metrics endpoint
    flags.putIfAbsent("serve.stream-metrics-url", stream.httpUrl() + "/metrics");
    ConfigSource serveSource = ConfigSource.load(flags, configFile);
    ServeConfig serveConfig = ServeConfig.from(serveSource);
    serving =
        lifecycle.register(
            ServingApp.start(
                serveConfig,
                views(serveConfig.viewsFile()),
                ServeConfig.SECURITY.read(serveSource)));
    if (!stream.awaitRunning(Duration.ofSeconds(60))) {
      throw new IllegalStateException("the stream processor did not reach RUNNING within 60 s");
    }
  }

  /**
   * The settings the demo gives its services, each unless {@code given} already has it: the
   * deployment's Kafka, registry and lake ({@code oxbow.*}), the default ports plus {@code offset},
   * the stream processor's state under {@code dataDir}, and the API key file of ingest and serve.
   *
   * @param given the user's settings (e.g. {@code --set} pairs), which win
   * @return {@code given} with the demo's settings added
   */
  public static Map<String, String> serviceFlags(
      Path dataDir,
      int offset,
      String bootstrap,
      String registryUrl,
      Path keyFile,
      Map<String, String> given) {
    Map<String, String> flags = new HashMap<>(given);
    flags.putIfAbsent(IngestConfig.PORT.key(), String.valueOf(8080 + offset));
    flags.putIfAbsent(ServeConfig.PORT.key(), String.valueOf(8070 + offset));
    flags.putIfAbsent(StreamConfig.HTTP_PORT.key(), String.valueOf(8082 + offset));
    flags.putIfAbsent(BatchConfig.HTTP_PORT.key(), String.valueOf(8083 + offset));
    flags.putIfAbsent(StreamConfig.STATE_DIR.key(), dataDir.resolve("streams").toString());
    flags.putIfAbsent(DeploymentSettings.LAKE_DIR.key(), dataDir.resolve("lake").toString());
    flags.putIfAbsent(IngestConfig.SECURITY.apiKeyFile().key(), keyFile.toString());
    flags.putIfAbsent(ServeConfig.SECURITY.apiKeyFile().key(), keyFile.toString());
    flags.putIfAbsent(DeploymentSettings.BOOTSTRAP_SERVERS.key(), bootstrap);
    flags.putIfAbsent(DeploymentSettings.SCHEMA_REGISTRY_URL.key(), registryUrl);
    return flags;
  }

  private static ViewCatalog views(Optional<Path> file) {
    return file.map(ViewCatalog::load).orElseGet(ViewCatalog::defaults);
  }

  /** The broker's {@code bootstrap.servers}. */
  public String kafka() {
    return kafka.bootstrapServers();
  }

  /** The security settings of every Kafka client of the stack (none on a PLAINTEXT broker). */
  public KafkaClientSecurity kafkaSecurity() {
    return kafkaSecurity;
  }

  /** The registry's base URL. */
  public String registryUrl() {
    return registry.url();
  }

  /** The ingest API's base URL. */
  public String ingestUrl() {
    return ingest.baseUrl();
  }

  /** The serving API's base URL (the dashboard is at its root). */
  public String apiUrl() {
    return serving.baseUrl();
  }

  /** The API key the replay, the dashboard and a user's curl use (every permission). */
  public String apiKey() {
    return apiKey;
  }

  /** Stops every service, newest first, within 10 s. */
  @Override
  public void close() {
    lifecycle.close();
  }

  private void loadGeoIpOnce(String bootstrap, String registryUrl, List<Path> files)
      throws IOException {
    if (files.isEmpty() || hasRecords(bootstrap, TopicNames.REF_GEOIP)) {
      return;
    }
    try (AvroSerde<GeoIpRange> serde =
        AvroSerde.specific(Map.of("schema.registry.url", registryUrl), false)) {
      GeoIpLoader.Result r =
          new GeoIpLoader(bootstrap, kafkaSecurity, TopicNames.REF_GEOIP, serde.serializer())
              .load(files);
      log.info("loaded {} geo-IP ranges in {} ms", r.ranges(), r.elapsed().toMillis());
    }
  }

  private boolean hasRecords(String bootstrap, String topic) {
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(kafkaSecurity.applyTo(config))) {
      if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
        return false;
      }
      var partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .partitions();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(
          p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
          .anyMatch(o -> o.offset() > 0);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the offsets of " + topic, e);
    }
  }

  /**
   * The demo's API key: generated on the first run, kept (with its hashed entry) afterwards; both
   * files readable and writable by their owner only.
   */
  static String apiKey(Path file) throws IOException {
    Path entry = file.resolveSibling("api-key.entry");
    if (!Files.exists(file) || !Files.exists(entry)) {
      Files.createDirectories(file.getParent());
      ApiKeyRing.Generated generated = ApiKeyRing.generate("demo", "*");
      OwnerOnlyFiles.write(entry, generated.configEntry() + "\n");
      OwnerOnlyFiles.write(file, generated.key() + "\n");
    }
    OwnerOnlyFiles.restrict(entry);
    OwnerOnlyFiles.restrict(file);
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }
}
