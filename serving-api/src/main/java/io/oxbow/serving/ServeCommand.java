package io.oxbow.serving;

import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oxbow serve}: the query API and dashboard over the batch and speed views, until
 * interrupted. Prints {@code serving: http://HOST:PORT/} when ready. Settings: see {@link
 * ServeConfig} (flags override environment variables, which override the properties file).
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

  @Option(names = "--views-file", description = "Views file extending the default views.")
  Path viewsFile;

  @Option(names = "--config", description = "Properties file with settings.")
  Path config;

  @Override
  public int helpOrder() {
    return 40;
  }

  @Override
  public List<Setting<?>> settings() {
    return ServeConfig.SETTINGS;
  }

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> flags = new HashMap<>();
    put(flags, ServeConfig.PORT, port);
    put(flags, ServeConfig.BOOTSTRAP_SERVERS, bootstrapServers);
    put(flags, ServeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    put(flags, ServeConfig.LAKE_DIR, lakeDir);
    put(flags, ServeConfig.VIEWS_FILE, viewsFile);
    ServeConfig settings = ServeConfig.from(ConfigSource.load(flags, Optional.ofNullable(config)));
    CountDownLatch stopped = new CountDownLatch(1);
    ServingApp app = ServingApp.start(settings);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "oxbow-serve-shutdown"));
    System.out.println("serving: " + app.baseUrl() + "/");
    System.out.flush();
    stopped.await();
    return 0;
  }

  private static void put(Map<String, String> flags, Setting<?> setting, Object value) {
    if (value != null) {
      flags.put(setting.key(), value.toString());
    }
  }
}
