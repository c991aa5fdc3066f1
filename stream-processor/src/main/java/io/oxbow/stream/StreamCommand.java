package io.oxbow.stream;

import io.oxbow.runtime.cli.Foreground;
import io.oxbow.runtime.cli.KafkaConfigOption;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.cli.SettingOptions;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import io.oxbow.views.ViewCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oxbow stream}: runs the stream processor ({@link StreamApp}) until interrupted. Prints
 * {@code stream: RUNNING, http://127.0.0.1:PORT} once Kafka Streams runs. Settings: {@link
 * StreamConfig} (flags, {@code --set key=value}, {@code OXBOW_STREAM_*}, {@code --config FILE});
 * {@code --views FILE} (the deployment's {@code oxbow.views-file}) adds view definitions to the
 * defaults.
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = "Run the stream processor: parse, enrich, attribute orders, fold speed views.")
public final class StreamCommand implements Callable<Integer>, OxbowSubcommand {
  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", description = "Schema registry URL.")
  String registryUrl;

  @Option(names = "--application-id", description = "Kafka Streams application id.")
  String applicationId;

  @Option(names = "--state-dir", description = "State store directory.")
  String stateDir;

  @Option(names = "--grace", description = "Grace period of the speed views (default 5m).")
  String grace;

  @Option(names = "--internal-cidrs", description = "Extra internal CIDRs, comma separated.")
  String internalCidrs;

  @Option(names = "--exactly-once", description = "exactly_once_v2 (true) or at_least_once.")
  String exactlyOnce;

  @Option(names = "--http-port", description = "Health and metrics port (default 8082).")
  String httpPort;

  @Option(names = "--topic-prefix", description = "Prefix of every topic name.")
  String topicPrefix;

  @Option(
      names = "--views",
      description =
          "A views YAML file extending the default views (sets oxbow.views-file; the batch loader"
              + " and the serving API need the same file).")
  Path views;

  @Mixin KafkaConfigOption kafkaConfig;

  @Mixin SettingOptions options;

  @Override
  public int helpOrder() {
    return 60;
  }

  @Override
  public List<Setting<?>> settings() {
    return StreamConfig.SETTINGS;
  }

  @Override
  public Integer call() throws InterruptedException {
    ConfigSource source = source();
    StreamConfig streamConfig = StreamConfig.from(source);
    ViewCatalog catalog =
        source
            .find(StreamConfig.VIEWS_FILE)
            .map(ViewCatalog::load)
            .orElseGet(ViewCatalog::defaults);
    StreamApp app =
        StreamApp.start(
            streamConfig,
            catalog,
            source.get(StreamConfig.PARTITIONS),
            source.get(StreamConfig.HTTP_HOST));
    Foreground foreground = Foreground.closeOnShutdown("oxbow-stream", app);
    if (app.awaitRunning(Duration.ofMinutes(5))) {
      System.out.println("stream: RUNNING, " + app.httpUrl());
    } else {
      System.out.println("stream: " + app.state() + " (not running yet), " + app.httpUrl());
    }
    return foreground.awaitStop();
  }

  /** This command line's settings, as {@link SettingOptions#flags} checks and orders them. */
  ConfigSource source() {
    return options
        .flags("stream", settings())
        .put(StreamConfig.BOOTSTRAP_SERVERS, bootstrapServers)
        .put(StreamConfig.SCHEMA_REGISTRY_URL, registryUrl)
        .put(StreamConfig.APPLICATION_ID, applicationId)
        .put(StreamConfig.STATE_DIR, stateDir)
        .put(StreamConfig.GRACE, grace)
        .put(StreamConfig.INTERNAL_CIDRS, internalCidrs)
        .put(StreamConfig.EXACTLY_ONCE, exactlyOnce)
        .put(StreamConfig.HTTP_PORT, httpPort)
        .put(StreamConfig.TOPIC_PREFIX, topicPrefix)
        .put(StreamConfig.VIEWS_FILE, views)
        .put(KafkaClientSecurity.CLIENT_CONFIG, kafkaConfig.file())
        .load(options.configFile());
  }
}
