package io.oxbow.ingest;

import io.oxbow.runtime.cli.Foreground;
import io.oxbow.runtime.cli.KafkaConfigOption;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.cli.SettingOptions;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.http.security.ApiKeyRing;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oxbow ingest}: the HTTP ingest app ({@code POST /v1/logs}, {@code POST
 * /v1/events/orders}). Prints {@code ingest: http://127.0.0.1:PORT} when ready and runs until
 * interrupted; Ctrl-C stops it within 10 s.
 *
 * <p>Every {@link IngestConfig} setting can be given as {@code --set key=value}, an {@code
 * OXBOW_INGEST_*} environment variable or in a {@code --config} properties file; the common ones
 * also have their own flags. {@code --generate-key NAME} prints a new API key and the key-file
 * entry that accepts it (for ingest, serve and registry alike), then exits.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Run the HTTP ingest app: log lines and order events into Kafka.")
public final class IngestCommand implements Callable<Integer>, OxbowSubcommand {
  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--port", description = "HTTP port (default 8080; 0 = a free port).")
  Integer port;

  @Option(names = "--schema-registry-url", description = "Schema registry URL.")
  String schemaRegistryUrl;

  @Option(
      names = "--api-key-file",
      description =
          "File of hashed API keys (name:sha256hex:permission+permission per line), shared with"
              + " serve and registry.")
  Path apiKeyFile;

  @Option(
      names = "--allow-anonymous",
      description = "Start on a non-loopback address without API keys (not recommended).")
  Boolean allowAnonymous;

  @Mixin KafkaConfigOption kafkaConfig;

  @Mixin SettingOptions options;

  @Option(
      names = "--generate-key",
      paramLabel = "NAME",
      description = "Print a new API key named NAME and its ingest.api-keys entry, then exit.")
  String generateKey;

  @Option(
      names = "--permissions",
      defaultValue = "logs+orders",
      description =
          "Permissions of a generated key, joined by +: logs, orders, read, admin or * (default"
              + " logs+orders).")
  String permissions;

  @Override
  public int helpOrder() {
    return 20;
  }

  @Override
  public List<Setting<?>> settings() {
    return Stream.concat(IngestConfig.SETTINGS.stream(), IngestConfig.SECURITY.all().stream())
        .toList();
  }

  @Override
  public Integer call() throws InterruptedException {
    if (generateKey != null) {
      ApiKeyRing.Generated key = ApiKeyRing.generate(generateKey, permissions);
      System.out.println("key: " + key.key());
      System.out.println("key file entry: " + key.configEntry());
      return 0;
    }
    ConfigSource source = source();
    IngestApp app =
        IngestApp.builder(IngestConfig.from(source))
            .security(IngestConfig.SECURITY.read(source))
            .build()
            .start();
    Foreground foreground = Foreground.closeOnShutdown("oxbow-ingest", app);
    System.out.println("ingest: " + app.baseUrl());
    return foreground.awaitStop();
  }

  /** This command line's settings, as {@link SettingOptions#flags} checks and orders them. */
  ConfigSource source() {
    return options
        .flags("ingest", settings())
        .put(IngestConfig.BOOTSTRAP_SERVERS, bootstrapServers)
        .put(IngestConfig.PORT, port)
        .put(IngestConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl)
        .put(IngestConfig.SECURITY.apiKeyFile(), apiKeyFile)
        .put(IngestConfig.SECURITY.allowAnonymous(), allowAnonymous)
        .put(KafkaClientSecurity.CLIENT_CONFIG, kafkaConfig.file())
        .load(options.configFile());
  }
}
