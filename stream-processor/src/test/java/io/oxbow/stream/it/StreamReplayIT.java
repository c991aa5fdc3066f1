package io.oxbow.stream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.contracts.deadletter.DeadLetter;
import io.oxbow.contracts.deadletter.DeadLetterHeaders;
import io.oxbow.contracts.deadletter.DeadLetterReason;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.stream.StreamApp;
import io.oxbow.stream.StreamConfig;
import io.oxbow.stream.geoip.GeoIpLoader;
import io.oxbow.views.ViewCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays every sample access log through the running stream processor on a real broker and
 * registry, with the bundled geo-IP data loaded, and checks the accounting end to end.
 */
@ExtendWith(KafkaBackendExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamReplayIT {
  private static final Logger log = LoggerFactory.getLogger(StreamReplayIT.class);

  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private SchemaRegistryServer registry;
  private StreamApp app;
  private StreamConfig config;
  private String bootstrap;
  private List<RawLogLine> lines;
  private GeoIpLoader.Result geoLoad;

  @BeforeAll
  void replay(KafkaBackend kafka) throws Exception {
    bootstrap = kafka.bootstrapServers();
    registry =
        SchemaRegistryServer.builder(bootstrap).topic("_schemas-replay-" + id).port(0).start();
    // a grace period longer than the sample's age (2015): every record counts in the speed views,
    // and the stores' changelogs (kept for the grace, by wall-clock time) keep its windows
    config =
        StreamConfig.defaults(bootstrap, registry.url(), "replay-it-" + id)
            .withTopics(StreamConfig.Topics.DEFAULT.prefixed("replay-" + id + "."))
            .withGrace(Duration.ofDays(36500))
            .withStateDir(Files.createTempDirectory(Path.of("target"), "replay-state"));
    try (AvroSerde<GeoIpRange> geoSerde =
        AvroSerde.specific(Map.of("schema.registry.url", registry.url()), false)) {
      Path samples = Path.of(System.getProperty("oxbow.root"), "samples", "geoip");
      geoLoad =
          new GeoIpLoader(bootstrap, config.topics().geoip(), geoSerde.serializer())
              .load(
                  List.of(
                      samples.resolve("geo-whois-asn-country-ipv4.csv.gz"),
                      samples.resolve("geo-whois-asn-country-ipv6.csv.gz")));
    }
    log.info(
        "geo-IP load: {} ranges in {} ms = {} ranges/s",
        geoLoad.ranges(),
        geoLoad.elapsed().toMillis(),
        Math.round(geoLoad.rangesPerSecond()));
    app = StreamApp.start(config, ViewCatalog.defaults(), 3);
    assertThat(app.awaitRunning(Duration.ofMinutes(2))).isTrue();
    lines = Samples.rawLines();
    Samples.produce(bootstrap, registry.url(), config.topics().raw(), lines);
    Samples.produceBytes(
        bootstrap,
        config.topics().raw(),
        "poison".getBytes(StandardCharsets.UTF_8),
        new byte[] {0, 0, 0, 0, 99, 7});
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> enriched().size() + dlq().size() + droppedInternal() == lines.size() + 1);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close(Duration.ofSeconds(30));
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void shouldLoadEveryBundledGeoIpRange() {
    assertThat(geoLoad.ranges()).isEqualTo(334_373 + 216_295);
    assertThat(geoLoad.tombstoned()).isZero();
  }

  @Test
  void shouldAccountForEveryLineExactly() {
    List<AccessLogEvent> expected = Samples.expectedEvents(lines);
    List<AccessLogEvent> actual =
        enriched().stream().map(r -> Samples.unenriched(r.value())).toList();
    assertThat(actual).hasSameSizeAs(expected);
    assertThat(Samples.countBy(actual, e -> e)).isEqualTo(Samples.countBy(expected, e -> e));
    assertThat(actual.size() + dlq().size() + droppedInternal()).isEqualTo(lines.size() + 1);
  }

  @Test
  void shouldAccountForEveryCrowdsecJunkLine() {
    RawLogLineReader reader = new RawLogLineReader(registry.url());
    Map<String, Long> inDlq = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : dlq()) {
      DeadLetter letter = DeadLetterHeaders.read(r.headers());
      if (!"deserialize".equals(letter.stage())) {
        assertThat(DeadLetterReason.valueOf(letter.reason())).isNotNull();
        inDlq.merge(reader.read(r.value()).getSource(), 1L, Long::sum);
      }
    }
    for (String file : List.of(Samples.FILES.get(1), Samples.FILES.get(2))) {
      long sent = lines.stream().filter(l -> l.getSource().equals(file)).count();
      List<AccessLogEvent> kept =
          enriched().stream()
              .map(ConsumerRecord::value)
              .filter(e -> file.equals(e.getSource()))
              .toList();
      assertThat(kept.size() + inDlq.getOrDefault(file, 0L)).as(file).isEqualTo(sent);
      assertThat(kept).as(file + " junk requests are marked").allMatch(e -> !e.getRequestValid());
    }
  }

  @Test
  void shouldDeadLetterThePoisonRecordWithItsBytes() {
    List<ConsumerRecord<byte[], byte[]>> poison =
        dlq().stream()
            .filter(r -> "deserialize".equals(DeadLetterHeaders.read(r.headers()).stage()))
            .toList();
    assertThat(poison)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.value()).containsExactly(0, 0, 0, 0, 99, 7);
              DeadLetter letter = DeadLetterHeaders.read(r.headers());
              assertThat(letter.sourceTopic()).isEqualTo(config.topics().raw());
              assertThat(letter.reason()).isEqualTo("DESERIALIZE_ERROR");
            });
  }

  @Test
  void shouldEnrichCountriesFromTheLoadedRanges() {
    List<AccessLogEvent> events = enriched().stream().map(ConsumerRecord::value).toList();
    long known = events.stream().filter(e -> !"unknown".equals(e.getCountry())).count();
    assertThat(known).isGreaterThan(events.size() * 9L / 10);
    assertThat(events)
        .filteredOn(e -> e.getClient().equals("83.149.9.216"))
        .allMatch(e -> e.getCountry().equals("RU"));
  }

  @Test
  void shouldFoldSpeedViewRequestsPerMinuteEqualToADirectCount() {
    Map<Long, Long> direct =
        Samples.countBy(
            enriched().stream().map(ConsumerRecord::value).toList(),
            e -> e.getEventTime().toEpochMilli() / 60_000 * 60_000);
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(trafficPerMinute()).isEqualTo(direct));
    assertThat(app.metrics().count("oxbow.stream.dropped.late")).isZero();
  }

  @Test
  void shouldJudgeEventTimeTopicsByAppendTimeForTimeRetention() throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      for (String topic : List.of(config.topics().enriched(), config.topics().attributed())) {
        var resource =
            new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
        var configs = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        // the configured retention, counted from when a record was appended: a replay of 2015
        // event times is kept as long as live data
        assertThat(configs.get("retention.ms").value()).as(topic).isEqualTo("604800000");
        assertThat(configs.get("message.timestamp.type").value())
            .as(topic + ": 2015 event times must not expire")
            .isEqualTo("LogAppendTime");
      }
    }
  }

  @Test
  void shouldServeHealthAndMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> ready =
        http.send(
            HttpRequest.newBuilder(URI.create(app.httpUrl() + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create(app.httpUrl() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .contains("oxbow_stream_lines_total")
        .contains("oxbow_stream_dlq_total")
        .contains("oxbow_stream_geoip_lookups_total");
  }

  private Map<Long, Long> trafficPerMinute() {
    Map<String, ViewAggregate> latest = new HashMap<>();
    try (AvroSerde<ViewAggregate> serde =
        AvroSerde.specific(Map.of("schema.registry.url", registry.url()), false)) {
      for (ConsumerRecord<byte[], ViewAggregate> r :
          Samples.readAll(bootstrap, config.topics().speedView("traffic"), serde.deserializer())) {
        latest.put(java.util.HexFormat.of().formatHex(r.key()), r.value());
      }
    }
    Map<Long, Long> perMinute = new HashMap<>();
    latest
        .values()
        .forEach(
            a -> perMinute.merge(a.getWindowStart().toEpochMilli(), a.getRecords(), Long::sum));
    return perMinute;
  }

  private List<ConsumerRecord<byte[], AccessLogEvent>> enriched() {
    try (AvroSerde<AccessLogEvent> serde =
        AvroSerde.specific(Map.of("schema.registry.url", registry.url()), false)) {
      return Samples.readAll(bootstrap, config.topics().enriched(), serde.deserializer());
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> dlq() {
    return Samples.readAll(bootstrap, config.topics().dlq(), new ByteArrayDeserializer());
  }

  private long droppedInternal() {
    return (long) app.metrics().count("oxbow.stream.dropped.internal");
  }

  /** Reads dead letters' original values back as raw lines. */
  private static final class RawLogLineReader {
    private final AvroSerde<RawLogLine> serde;

    RawLogLineReader(String url) {
      serde = AvroSerde.specific(Map.of("schema.registry.url", url), false);
    }

    RawLogLine read(byte[] value) {
      return serde.deserializer().deserialize("replay", value);
    }
  }
}
