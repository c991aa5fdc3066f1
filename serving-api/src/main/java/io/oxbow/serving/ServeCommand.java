package io.oxbow.serving;

import io.oxbow.runtime.cli.Foreground;
import io.oxbow.runtime.cli.KafkaConfigOption;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.cli.SettingOptions;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import io.oxbow.views.ViewCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oxbow serve}: the query API and dashboard over the batch and speed views, until
 * interrupted. Prints {@code serving: http://HOST:PORT/} when ready. Settings: see {@link
 * ServeConfig} (flags and {@code --set key=value} override environment variables, which override
 * the properties file).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the query API (/api/v1) and the dashboard (/) until interrupted.")
public final class ServeCommand implements Callable<Integer>, OxbowSubcommand {
  @Option(names = "--port", description = "HTTP port (default 8070; 0 = a free port).")
  Integer port;

  @Option(names = "--bootstrap-servers", description = "Kafka (default 127.0.0.1:9092).")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", description = "Schema registry URL.")
  String schemaRegistryUrl;

  @Option(names = "--lake-dir", description = "Root of the Parquet lake (default ./data/lake).")
  Path lakeDir;

  @Option(
      names = "--lake-uri",
      description = "s3://bucket/prefix: read the lake from S3 (settings serve.s3-*).")
  String lakeUri;

  @Option(names = "--views-file", description = "Views file extending the default views.")
  Path viewsFile;

  @Mixin KafkaConfigOption kafkaConfig;

  @Option(
      names = "--api-key-file",
      description = "File of hashed API keys (read for queries, admin for dead letters).")
  Path apiKeyFile;

  @Option(
      names = "--allow-anonymous",
      description = "Start on a non-loopback address without API keys (not recommended).")
  Boolean allowAnonymous;

  @Mixin SettingOptions options;

  @Override
  public int helpOrder() {
    return 40;
  }

  @Override
  public List<Setting<?>> settings() {
    return Stream.concat(ServeConfig.SETTINGS.stream(), ServeConfig.SECURITY.all().stream())
        .toList();
  }

  @Override
  public Integer call() throws InterruptedException {
    ConfigSource source = source();
    ServeConfig settings = ServeConfig.from(source);
    ServingApp app =
        ServingApp.start(
            settings,
            settings.viewsFile().map(ViewCatalog::load).orElseGet(ViewCatalog::defaults),
            ServeConfig.SECURITY.read(source));
    Foreground foreground = Foreground.closeOnShutdown("oxbow-serve", app);
    System.out.println("serving: " + app.baseUrl() + "/");
    return foreground.awaitStop();
  }

  /** This command line's settings, as {@link SettingOptions#flags} checks and orders them. */
  ConfigSource source() {
    return options
        .flags("serve", settings())
        .put(ServeConfig.PORT, port)
        .put(ServeConfig.BOOTSTRAP_SERVERS, bootstrapServers)
        .put(ServeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl)
        .put(ServeConfig.LAKE_DIR, lakeDir)
        .put(ServeConfig.LAKE_URI, lakeUri)
        .put(ServeConfig.VIEWS_FILE, viewsFile)
        .put(ServeConfig.SECURITY.apiKeyFile(), apiKeyFile)
        .put(ServeConfig.SECURITY.allowAnonymous(), allowAnonymous)
        .put(KafkaClientSecurity.CLIENT_CONFIG, kafkaConfig.file())
        .load(options.configFile());
  }
}
