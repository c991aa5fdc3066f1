package io.oxbow.batch;

import io.oxbow.runtime.cli.Foreground;
import io.oxbow.runtime.cli.KafkaConfigOption;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.cli.SettingOptions;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code oxbow batch}: runs the batch loader ({@link BatchApp}) until interrupted, printing {@code
 * batch: <lake> (health on http://...)} when started. With {@code --recompute FROM TO} it instead
 * rebuilds the batch views of that time range from the landed Parquet and exits. Settings are those
 * of {@link BatchConfig} ({@code batch.*} and the deployment-wide {@code oxbow.*}; flag or {@code
 * --set key=value}, env {@code OXBOW_BATCH_*}, properties file, default).
 */
@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    description =
        "Land Kafka topics as Parquet exactly once, compact closed hours into the batch views and"
            + " publish the batch watermark.")
public final class BatchCommand implements Callable<Integer>, OxbowSubcommand {
  @Spec CommandSpec spec;

  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", description = "Schema registry URL.")
  String registryUrl;

  @Option(names = "--lake-dir", description = "Root directory of the lake (default ./data/lake).")
  Path lakeDir;

  @Option(names = "--lake-uri", description = "s3://bucket/prefix: keep the lake in S3 instead.")
  String lakeUri;

  @Option(names = "--http-port", description = "Port of the health and metrics endpoints.")
  Integer httpPort;

  @Option(
      names = "--upstream-group-id",
      description =
          "The stream processor's application id: the watermark waits while it lags (default"
              + " oxbow-stream).")
  String upstreamGroupId;

  @Mixin KafkaConfigOption kafkaConfig;

  @Mixin SettingOptions options;

  @Option(
      names = "--recompute",
      arity = "2",
      paramLabel = "TIME",
      description =
          "Rebuild the batch views for [FROM, TO) from the landed data and exit. Times are"
              + " 2015-05-17, 2015-05-17T10:00 or 2015-05-17T10:00:00Z (UTC).")
  List<String> recompute;

  @Override
  public int helpOrder() {
    return 40;
  }

  @Override
  public List<Setting<?>> settings() {
    return BatchConfig.SETTINGS;
  }

  @Override
  public Integer call() throws Exception {
    ConfigSource source = source();
    BatchConfig batch = BatchConfig.from(source);
    if (recompute != null) {
      long from = parseTime(recompute.get(0));
      long to = parseTime(recompute.get(1));
      if (from >= to) {
        throw new ParameterException(spec.commandLine(), "--recompute: FROM must be before TO");
      }
      int hours;
      try {
        hours = BatchApp.recompute(batch, from, to);
      } catch (IllegalArgumentException gone) {
        throw new ParameterException(spec.commandLine(), "--recompute: " + gone.getMessage());
      }
      System.out.println(
          "recomputed "
              + hours
              + " view hours in ["
              + Instant.ofEpochMilli(from)
              + ", "
              + Instant.ofEpochMilli(to)
              + ")");
      return 0;
    }
    BatchApp app = BatchApp.start(batch, source.get(BatchConfig.HTTP_HOST));
    Foreground foreground = Foreground.closeOnShutdown("oxbow-batch", app);
    System.out.println("batch: " + app.storage().location() + " (health on " + app.httpUrl() + ")");
    return foreground.awaitStop();
  }

  /** This command line's settings, as {@link SettingOptions#flags} checks and orders them. */
  ConfigSource source() {
    return options
        .flags("batch", settings())
        .put(BatchConfig.BOOTSTRAP_SERVERS, bootstrapServers)
        .put(BatchConfig.SCHEMA_REGISTRY_URL, registryUrl)
        .put(BatchConfig.LAKE_DIR, lakeDir)
        .put(BatchConfig.LAKE_URI, lakeUri)
        .put(BatchConfig.HTTP_PORT, httpPort)
        .put(BatchConfig.UPSTREAM_GROUP_ID, upstreamGroupId)
        .put(KafkaClientSecurity.CLIENT_CONFIG, kafkaConfig.file())
        .load(options.configFile());
  }

  private long parseTime(String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException notDateTime) {
        try {
          return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException notDate) {
          throw new ParameterException(
              spec.commandLine(),
              "--recompute: \"" + text + "\" is not a time such as 2015-05-17T10:00 (UTC)");
        }
      }
    }
  }
}
