package io.oxbow.stream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.stream.StreamConfig;
import io.oxbow.stream.geoip.GeoIpLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream processor, a separate process with the bundled geo-IP ranges in its global store, is
 * killed with SIGKILL once running and started again with the same command and state directory: it
 * runs again (Kafka Streams alone would refuse the global store under exactly_once_v2 and the
 * global thread would die), says so in its log and on {@code /metrics}, and its rebuilt global
 * store enriches countries.
 */
@ExtendWith(KafkaBackendExtension.class)
class GlobalStoreRecoveryIT {
  private static final Pattern URL = Pattern.compile("stream: RUNNING, (http://\\S+)");

  private final String id = UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path dir;

  @Test
  void shouldRunAgainAfterAKillNineWithTheGeoIpRangesLoaded(KafkaBackend kafka) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    try (SchemaRegistryServer registry =
        SchemaRegistryServer.builder(bootstrap).topic("_schemas-recovery-" + id).port(0).start()) {
      String prefix = "recovery-" + id + ".";
      StreamConfig.Topics topics = StreamConfig.Topics.DEFAULT.prefixed(prefix);
      loadGeoIp(bootstrap, registry.url(), topics.geoip());
      List<String> args =
          List.of(
              "--bootstrap-servers",
              bootstrap,
              "--schema-registry-url",
              registry.url(),
              "--application-id",
              "recovery-it-" + id,
              "--state-dir",
              dir.resolve("state").toString(),
              "--topic-prefix",
              prefix,
              "--http-port",
              "0");

      Process first = start(args, dir.resolve("first.log"));
      try {
        awaitRunning(first, dir.resolve("first.log"));
      } finally {
        first.destroyForcibly(); // SIGKILL: the global store is left open
        first.waitFor(30, TimeUnit.SECONDS);
      }

      Path secondLog = dir.resolve("second.log");
      Process second = start(args, secondLog);
      try {
        String url = awaitRunning(second, secondLog);
        assertThat(Files.readString(secondLog))
            .contains("was not clean: deleting the global store state")
            .doesNotContain("Global thread has died");
        assertThat(get(url + "/metrics"))
            .containsPattern("(?m)^oxbow_stream_global_store_rebuilds_total(\\{[^}]*})? 1\\.0$");

        List<RawLogLine> lines = Samples.rawLines().subList(0, 200);
        Samples.produce(bootstrap, registry.url(), topics.raw(), lines);
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () ->
                    assertThat(enriched(bootstrap, registry.url(), topics))
                        .hasSize(Samples.expectedEvents(lines).size())
                        .anyMatch(e -> e.getCountry() != null && e.getCountry().length() == 2));
      } finally {
        second.destroy();
        if (!second.waitFor(40, TimeUnit.SECONDS)) {
          second.destroyForcibly();
        }
      }
      assertThat(dir.resolve("state").resolve("recovery-it-" + id).resolve("oxbow-clean-stop"))
          .as("a clean stop is marked")
          .exists();
    }
  }

  private static void loadGeoIp(String bootstrap, String registryUrl, String topic)
      throws IOException {
    try (AvroSerde<GeoIpRange> serde =
        AvroSerde.specific(Map.of("schema.registry.url", registryUrl), false)) {
      Path samples = Path.of(System.getProperty("oxbow.root"), "samples", "geoip");
      new GeoIpLoader(bootstrap, topic, serde.serializer())
          .load(
              List.of(
                  samples.resolve("geo-whois-asn-country-ipv4.csv.gz"),
                  samples.resolve("geo-whois-asn-country-ipv6.csv.gz")));
    }
  }

  private static List<AccessLogEvent> enriched(
      String bootstrap, String registryUrl, StreamConfig.Topics topics) {
    try (AvroSerde<AccessLogEvent> serde =
        AvroSerde.specific(Map.of("schema.registry.url", registryUrl), false)) {
      return Samples.readAll(bootstrap, topics.enriched(), serde.deserializer()).stream()
          .map(r -> r.value())
          .toList();
    }
  }

  private static String get(String url) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Process start(List<String> args, Path log) throws IOException {
    String classpath = System.getProperty("stream.process.classpath");
    assertThat(classpath).as("stream.process.classpath (set by failsafe in the pom)").isNotBlank();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-Djava.io.tmpdir=" + log.getParent());
    command.add("-cp");
    command.add(classpath);
    command.add("io.oxbow.stream.StreamMain");
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Waits for {@code stream: RUNNING} and returns the process's HTTP base URL. */
  private static String awaitRunning(Process process, Path log) {
    return await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "the stream processor exited with "
                        + process.exitValue()
                        + ":\n"
                        + Files.readString(log));
              }
              if (!Files.exists(log)) {
                return null;
              }
              String text = Files.readString(log);
              if (text.contains("Global thread has died")) {
                throw new AssertionError("the global thread died:\n" + text);
              }
              Matcher m = URL.matcher(text);
              return m.find() ? m.group(1) : null;
            },
            url -> url != null);
  }
}
