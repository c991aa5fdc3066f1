package io.oxbow.registry.server;

import io.oxbow.localkafka.LocalKafka;
import io.oxbow.runtime.cli.KafkaConfigOption;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.cli.SettingOptions;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.DeploymentSettings;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.http.security.HttpSecurityConfig;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import io.oxbow.runtime.kafka.KafkaStartCheck;
import io.oxbow.runtime.kafka.ReplicationSettings;
import io.oxbow.runtime.lifecycle.Lifecycle;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oxbow registry}: a Confluent-compatible Schema Registry storing its state in the {@code
 * _schemas} topic of a Kafka cluster (or of an in-process broker with {@code --embedded-broker}).
 * Prints {@code registry: http://127.0.0.1:PORT} when ready and runs until interrupted.
 *
 * <p>Settings (flag or {@code --set key=value}, env {@code OXBOW_REGISTRY_*}, properties file,
 * default): {@code registry.bootstrap-servers} (else {@code oxbow.bootstrap-servers},
 * 127.0.0.1:9092), {@code registry.port} (8081), {@code registry.host} (127.0.0.1), {@code
 * registry.topic} (_schemas), {@code registry.compatibility} (BACKWARD), {@code
 * registry.basic-auth} (user:password; none by default), {@code registry.embedded-broker} (false),
 * {@code registry.max-subject-chars} (255), {@code registry.max-schema-bytes} (1048576), {@code
 * kafka.client-config} and {@code kafka.client.*} (security of the {@code _schemas} log's Kafka
 * clients; none by default), and the {@link #SECURITY} settings ({@code registry.api-key-file},
 * {@code registry.tls-cert-file}, ...).
 */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "Run a Confluent-compatible Schema Registry on Kafka's _schemas topic.")
public final class RegistryCommand implements Callable<Integer>, OxbowSubcommand {
  /** Kafka bootstrap servers. */
  public static final Setting<String> BOOTSTRAP =
      Setting.string(
              "registry.bootstrap-servers",
              null,
              "Kafka bootstrap servers holding the _schemas topic (overrides"
                  + " oxbow.bootstrap-servers; ignored with an embedded broker).")
          .withFallback(DeploymentSettings.BOOTSTRAP_SERVERS);

  /** HTTP port. */
  public static final Setting<Integer> PORT =
      Setting.port("registry.port", 8081, true, "HTTP port of the schema registry (0: free).");

  /** HTTP interface. */
  public static final Setting<String> HOST =
      Setting.string("registry.host", "127.0.0.1", "Interface the schema registry binds.");

  /** API keys, TLS, management port, rate limit ({@code registry.api-key-file}, ...). */
  public static final HttpSecurityConfig.Settings SECURITY =
      HttpSecurityConfig.Settings.of("registry", 0, 100);

  /** Storage topic. */
  public static final Setting<String> TOPIC =
      Setting.string("registry.topic", "_schemas", "Compacted topic holding the registry state.");

  /** Default compatibility. */
  public static final Setting<CompatibilityLevel> COMPATIBILITY =
      new Setting<>(
          "registry.compatibility",
          "BACKWARD",
          "Global compatibility level while none is set through the API.",
          CompatibilityLevel::parseSetting);

  /** Basic auth credentials. */
  public static final Setting<String> BASIC_AUTH =
      new Setting<>(
          "registry.basic-auth",
          "",
          "user:password required on every API call (health endpoints stay open); empty: none.",
          RegistryCommand::userColonPassword);

  /** Embedded broker. */
  public static final Setting<Boolean> EMBEDDED =
      Setting.bool(
          "registry.embedded-broker", false, "Start an in-process Kafka broker for the registry.");

  /** Longest subject name. */
  public static final Setting<Integer> MAX_SUBJECT_CHARS =
      Setting.integer(
          "registry.max-subject-chars",
          RegistryLimits.DEFAULTS.maxSubjectChars(),
          1,
          65_536,
          "Longest subject name or subjectPrefix: 422 (42208).");

  /** Largest schema text. */
  public static final Setting<Long> MAX_SCHEMA_BYTES =
      Setting.longValue(
          "registry.max-schema-bytes",
          RegistryLimits.DEFAULTS.maxSchemaBytes(),
          1,
          SchemaRegistryServer.MAX_BODY_BYTES,
          "Largest schema text in bytes (UTF-8): 422 (42201).");

  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--port", description = "HTTP port (default 8081; 0 = a free port).")
  Integer port;

  @Option(names = "--topic", description = "Storage topic (default _schemas).")
  String topic;

  @Option(names = "--basic-auth", description = "Require HTTP basic auth: user:password.")
  String basicAuth;

  @Option(
      names = "--api-key-file",
      description = "File of hashed API keys (read for reads, admin for writes and deletes).")
  Path apiKeyFile;

  @Option(
      names = "--allow-anonymous",
      description = "Start on a non-loopback address without API keys (not recommended).")
  Boolean allowAnonymous;

  @Option(
      names = "--embedded-broker",
      description = "Start an in-process Kafka broker (KRaft) and use it.")
  Boolean embedded;

  @Mixin KafkaConfigOption kafkaConfig;

  @Mixin SettingOptions options;

  @Override
  public int helpOrder() {
    return 85;
  }

  @Override
  public List<Setting<?>> settings() {
    return Stream.concat(
            Stream.of(
                BOOTSTRAP,
                KafkaClientSecurity.CLIENT_CONFIG,
                PORT,
                HOST,
                TOPIC,
                COMPATIBILITY,
                BASIC_AUTH,
                EMBEDDED,
                MAX_SUBJECT_CHARS,
                MAX_SCHEMA_BYTES,
                ReplicationSettings.REPLICATION_FACTOR,
                ReplicationSettings.MIN_INSYNC_REPLICAS),
            SECURITY.all().stream())
        .toList();
  }

  @Override
  public Integer call() throws InterruptedException {
    ConfigSource source = source();
    // installed before anything starts, so that a stop during start-up still closes what started
    Lifecycle lifecycle = Lifecycle.create("oxbow-registry").installShutdownHook();
    try {
      start(source, System.out, lifecycle);
    } catch (RuntimeException e) {
      lifecycle.close();
      throw e;
    }
    lifecycle.awaitClosed();
    return 0;
  }

  /** This command line's settings, as {@link SettingOptions#flags} checks and orders them. */
  ConfigSource source() {
    return options
        .flags("registry", settings())
        .put(BOOTSTRAP, bootstrapServers)
        .put(PORT, port)
        .put(TOPIC, topic)
        .put(BASIC_AUTH, basicAuth)
        .put(EMBEDDED, embedded)
        .put(KafkaClientSecurity.CLIENT_CONFIG, kafkaConfig.file())
        .put(SECURITY.apiKeyFile(), apiKeyFile)
        .put(SECURITY.allowAnonymous(), allowAnonymous)
        .load(options.configFile());
  }

  /**
   * Starts the registry (and the embedded broker when asked), prints its URL, serves until {@code
   * stop} opens, then closes everything.
   *
   * @param source the settings
   * @param out where {@code kafka: ...} and {@code registry: http://...} lines go
   * @param stop opened to shut down
   */
  static void serve(ConfigSource source, PrintStream out, CountDownLatch stop)
      throws InterruptedException {
    try (Lifecycle lifecycle = Lifecycle.create("registry")) {
      start(source, out, lifecycle);
      stop.await();
    }
  }

  /**
   * Starts the embedded broker when asked and the registry, each registered with {@code lifecycle}
   * (which closes the registry, then the broker), and prints their addresses.
   *
   * @param source the settings
   * @param out where {@code kafka: ...} and {@code registry: http://...} lines go
   * @param lifecycle closes what started
   */
  static void start(ConfigSource source, PrintStream out, Lifecycle lifecycle) {
    String bootstrap;
    KafkaClientSecurity security;
    if (source.get(EMBEDDED)) {
      LocalKafka kafka = lifecycle.register(LocalKafka.builder().build());
      kafka.start();
      bootstrap = kafka.bootstrapServers();
      security = KafkaClientSecurity.none();
      out.println("kafka: " + bootstrap);
    } else {
      bootstrap = source.get(BOOTSTRAP);
      security = KafkaClientSecurity.from(source);
      KafkaStartCheck.verify(bootstrap, BOOTSTRAP.key(), security);
    }
    SchemaRegistryServer.Builder builder =
        SchemaRegistryServer.builder(bootstrap)
            .port(source.get(PORT))
            .host(source.get(HOST))
            .topic(source.get(TOPIC))
            .defaultCompatibility(source.get(COMPATIBILITY))
            .limits(
                new RegistryLimits(
                    source.get(MAX_SUBJECT_CHARS), source.get(MAX_SCHEMA_BYTES).intValue()))
            .security(SECURITY.read(source))
            .replication(ReplicationSettings.from(source));
    source.find(BASIC_AUTH).filter(a -> !a.isEmpty()).ifPresent(builder::basicAuth);
    security.applyTo(new HashMap<>()).forEach(builder::kafkaProperty);
    SchemaRegistryServer server = lifecycle.register(builder.start());
    out.println("registry: " + server.url());
    out.flush();
  }

  private static String userColonPassword(String text) {
    if (!text.isEmpty() && !text.contains(":")) {
      throw new IllegalArgumentException("expected user:password");
    }
    return text;
  }
}
