package io.oxbow.stream;

import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.runtime.cli.KafkaConfigOption;
import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.cli.SettingOptions;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import io.oxbow.runtime.kafka.KafkaClientSecurity;
import io.oxbow.runtime.kafka.KafkaStartCheck;
import io.oxbow.runtime.kafka.ReplicationSettings;
import io.oxbow.stream.geoip.GeoIpLoader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code oxbow load-geoip [FILE...]}: loads geo-IP range CSV files (plain or .gz; {@code
 * start,end,country} as ip-location-db and DB-IP ship them, or GeoLite2-Country-CSV blocks plus
 * locations) into the compacted {@code ref.geoip} topic, replacing the previous load in one
 * transaction; a running stream processor picks the new ranges up without a restart. Without files
 * it loads the bundled samples/geoip/*.csv.gz (ip-location-db, CC BY 4.0). Prints the number of
 * ranges, removed ranges and ranges per second.
 *
 * <p>Settings: {@code stream.bootstrap-servers}, {@code stream.schema-registry-url}, {@code
 * kafka.client-config} and {@code kafka.client.*} (client security).
 */
@Command(
    name = "load-geoip",
    mixinStandardHelpOptions = true,
    description = "Load geo-IP range CSV files (plain or .gz) into the ref.geoip topic.")
public final class LoadGeoIpCommand implements Callable<Integer>, OxbowSubcommand {
  @Parameters(arity = "0..*", paramLabel = "FILE", description = "Range files (default: samples).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", description = "Schema registry URL.")
  String registryUrl;

  @Option(names = "--topic", description = "Topic (default ref.geoip).")
  String topic = StreamConfig.Topics.DEFAULT.geoip();

  @Mixin KafkaConfigOption kafkaConfig;

  @Mixin SettingOptions options;

  @Override
  public int helpOrder() {
    return 61;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(
        StreamConfig.BOOTSTRAP_SERVERS,
        KafkaClientSecurity.CLIENT_CONFIG,
        StreamConfig.SCHEMA_REGISTRY_URL,
        ReplicationSettings.REPLICATION_FACTOR,
        ReplicationSettings.MIN_INSYNC_REPLICAS);
  }

  @Override
  public Integer call() throws IOException {
    ConfigSource source =
        options
            .flags("load-geoip", settings())
            .put(StreamConfig.BOOTSTRAP_SERVERS, bootstrapServers)
            .put(StreamConfig.SCHEMA_REGISTRY_URL, registryUrl)
            .put(KafkaClientSecurity.CLIENT_CONFIG, kafkaConfig.file())
            .load(options.configFile());
    String bootstrap = source.get(StreamConfig.BOOTSTRAP_SERVERS);
    KafkaClientSecurity security = KafkaClientSecurity.from(source);
    KafkaStartCheck.verify(bootstrap, StreamConfig.BOOTSTRAP_SERVERS.key(), security);
    try (AvroSerde<GeoIpRange> serde =
        AvroSerde.specific(
            Map.of("schema.registry.url", source.get(StreamConfig.SCHEMA_REGISTRY_URL)), false)) {
      List<Path> toLoad = files.isEmpty() ? defaultFiles() : files;
      GeoIpLoader.Result r =
          new GeoIpLoader(bootstrap, security, topic, serde.serializer())
              .withReplication(ReplicationSettings.from(source))
              .load(toLoad);
      System.out.printf(
          "loaded %d ranges into %s (%d older ranges removed, %d blocks without a country"
              + " skipped) in %.1f s: %.0f ranges/s%n",
          r.ranges(),
          topic,
          r.tombstoned(),
          r.skipped(),
          r.elapsed().toMillis() / 1000.0,
          r.rangesPerSecond());
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("load-geoip: " + e.getMessage());
      return 2;
    }
  }

  /** samples/geoip/*.csv.gz under the installation root ({@code oxbow.root}, else the cwd). */
  static List<Path> defaultFiles() throws IOException {
    Path dir = Path.of(System.getProperty("oxbow.root", ".")).resolve("samples/geoip");
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.csv.gz")) {
        ds.forEach(out::add);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "no files given and no samples under " + dir + " (set -Doxbow.root or pass FILE...)");
    }
    out.sort(null);
    return out;
  }
}
