package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.batch.BatchApp;
import io.oxbow.batch.BatchConfig;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.lake.PublishedViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.runtime.kafka.TopicReadiness;
import io.oxbow.serving.lake.ParquetBatchViews;
import io.oxbow.serving.query.QueryEngine;
import io.oxbow.serving.query.QueryLimits;
import io.oxbow.serving.query.QueryResult;
import io.oxbow.views.ViewCatalog;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention end to end on a real broker: the batch loader lands seven days of 2015 hits, compacts
 * them, and its retention (minute files 2 days, hour tier 4 days, landed rows 3 days, day tier
 * forever, judged by the data's own newest time although the wall clock is years later) removes the
 * older hours through the manifest; the serving API's query engine over that lake answers hours
 * from the hour tier where the minute files are gone, names the ranges no tier holds any more, and
 * still answers every day from the day tier.
 */
@ExtendWith(KafkaBackendExtension.class)
class RetentionIT {
  private static final Instant FIRST_DAY = Instant.parse("2015-05-13T00:00:00Z");
  private static final Instant LAST_HOUR = Instant.parse("2015-05-19T10:00:00Z");
  private static final Instant END = LAST_HOUR.plusSeconds(3_600);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ViewCatalog VIEWS = ViewCatalog.defaults();

  @TempDir Path dir;

  @Test
  void shouldRemoveOldHoursThroughTheManifestAndAnswerWhatIsLeft(KafkaBackend kafka)
      throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "retention-enriched-" + id;
    String registry = "mock://retention-" + id;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      TopicReadiness.await(admin, List.of(topic), Duration.ofSeconds(30));
    }
    // seven days with three hits at 10:00, and one at 12:00 on the last day that closes 10:00
    List<AccessLogEvent> events = new ArrayList<>();
    for (int day = 0; day < 7; day++) {
      Instant hour = FIRST_DAY.plusSeconds(86_400L * day + 36_000);
      for (int k = 0; k < 3; k++) {
        events.add(hit(hour.plusSeconds(60L * k), "c" + k));
      }
    }
    events.add(hit(LAST_HOUR.plusSeconds(7_200), "closer"));
    produce(kafka.bootstrapServers(), registry, topic, events);

    Path lake = dir.resolve("lake");
    BatchConfig config =
        BatchConfig.of(
            Map.ofEntries(
                Map.entry("batch.bootstrap-servers", kafka.bootstrapServers()),
                Map.entry("batch.schema-registry-url", registry),
                Map.entry("batch.lake-dir", lake.toString()),
                Map.entry("batch.group-id", "retention-" + id),
                Map.entry("batch.datasets", topic + ":event_time:access-logs.enriched"),
                Map.entry("batch.compaction-interval", "1s"),
                // the last file (the 12:00 row that closes 10:00) is published 2 s after it opens
                Map.entry("batch.rotate-interval", "2s"),
                Map.entry("batch.http-port", "0"),
                Map.entry("batch.speed-cleanup-margin", "0s"),
                Map.entry("batch.retention.view-files", "2d"),
                Map.entry("batch.retention.landed", "3d"),
                Map.entry("batch.retention.hour-tier", "4d")));
    try (BatchApp loader = BatchApp.start(config);
        LocalLakeStorage storage = new LocalLakeStorage(lake)) {
      ViewManifestStore manifests = new ViewManifestStore(storage);
      // the newest compacted hour ends 2015-05-19T11:00: minute files before 05-17T11:00 go, hour
      // tier buckets before 05-15T11:00; landed rows before 05-16T12:00 (3 days before 12:00)
      PublishedViewManifest traffic =
          await()
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> manifests.readPublished("traffic").orElse(null),
                  m ->
                      m != null
                          && m.retainedFrom("1h") == at("2015-05-15T11:00:00Z")
                          && m.files().orElseThrow().size() == 2);
      assertThat(traffic.retainedFrom(LakeLayout.FILES_TIER)).isEqualTo(at("2015-05-17T11:00:00Z"));
      assertThat(traffic.tiers().get("1h")).hasSize(4);
      assertThat(traffic.tiers().get("1d")).hasSize(7);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(ownFiles(lake, "traffic")).hasSize(2);
                assertThat(landedFiles(lake).stream().map(f -> f.split("/")[1]).distinct())
                    .containsExactlyInAnyOrder("dt=2015-05-17", "dt=2015-05-18", "dt=2015-05-19");
              });
      // the compactor does not bring the removed hours back: they stay named, with their offsets
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(ownFiles(lake, "traffic")).hasSize(2));
      // traffic, errors and visits (1m) lose 5 minute-file hours and 3 hour-tier buckets each,
      // pages and referrers (1h, their own files kept as the hour tier) 3 hours each; 4 landed
      // hours. Visits are compacted after the other views (their watermark trails by the visit
      // timeout), so their share may come a cycle later
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(get(loader.httpUrl() + "/metrics"))
                      .contains(
                          "oxbow_batch_retention_removed_total{kind=\"files\",service=\"batch\"} 21.0")
                      .contains(
                          "oxbow_batch_retention_removed_total{kind=\"1h\",service=\"batch\"} 9.0")
                      .contains(
                          "oxbow_batch_retention_removed_total{kind=\"landed\",service=\"batch\"} 4.0"));

      QueryEngine engine =
          new QueryEngine(
              VIEWS,
              new ParquetBatchViews(storage),
              (view, from, to) -> Map.of(),
              QueryLimits.of(100_000, 100_000));

      // hours: the hour tier answers where the minute files are gone; before it, gone
      JsonNode hours = json(query(engine, "hour"));
      assertThat(hours.path("retained")).hasSize(1);
      assertThat(hours.path("retained").get(0).path("to").asText())
          .isEqualTo("2015-05-15T11:00:00Z");
      assertThat(hours.path("retained").get(0).path("reason").asText())
          .contains("batch.retention.hour-tier");
      assertThat(requests(hours)).isEqualTo(4 * 3);

      // minutes: only the last two days are left
      JsonNode minutes = json(query(engine, "minute"));
      assertThat(minutes.path("retained").get(0).path("to").asText())
          .isEqualTo("2015-05-17T11:00:00Z");
      assertThat(minutes.path("retained").get(0).path("reason").asText())
          .contains("batch.retention.view-files");
      assertThat(requests(minutes)).isEqualTo(2 * 3);

      // days: the day tier is kept forever
      JsonNode days = json(query(engine, "day"));
      assertThat(days.path("retained").isMissingNode()).isTrue();
      assertThat(requests(days)).isEqualTo(7 * 3);
    }
  }

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private static AccessLogEvent hit(Instant time, String client) {
    return AccessLogEvent.newBuilder()
        .setClient(client)
        .setClientKind(ClientKind.HOSTNAME)
        .setEventTime(time)
        .setRequest("GET / HTTP/1.1")
        .setMethod("GET")
        .setPath("/")
        .setStatus(200)
        .setBytes(512L)
        .setLineBytes(80)
        .setCountry("DE")
        .build();
  }

  private static void produce(
      String bootstrap, String registry, String topic, List<AccessLogEvent> events)
      throws Exception {
    try (AvroSerde<AccessLogEvent> serde =
            AvroSerde.specific(Map.of("schema.registry.url", registry), false);
        KafkaProducer<String, AccessLogEvent> producer =
            new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                serde.serializer())) {
      for (AccessLogEvent event : events) {
        producer.send(new ProducerRecord<>(topic, event.getClient(), event)).get();
      }
    }
  }

  private static QueryResult query(QueryEngine engine, String granularity) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    params.put("from", List.of(FIRST_DAY.toString()));
    params.put("to", List.of(END.toString()));
    params.put("granularity", List.of(granularity));
    params.put("metrics", List.of("requests"));
    return engine.query("traffic", params);
  }

  private static JsonNode json(QueryResult result) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      result.writeJson(json);
    }
    return JSON.readTree(out.toByteArray());
  }

  private static long requests(JsonNode answer) {
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode row : answer.path("rows")) {
      sum = sum.add(row.path("metrics").path("requests").decimalValue());
    }
    return sum.longValueExact();
  }

  private static List<String> ownFiles(Path lake, String view) throws Exception {
    Path folder = lake.resolve("views").resolve(view);
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .map(p -> folder.relativize(p).toString())
          .filter(p -> p.endsWith(".parquet") && !p.startsWith("tier="))
          .toList();
    }
  }

  private static List<String> landedFiles(Path lake) throws Exception {
    try (Stream<Path> files = Files.walk(lake)) {
      return files
          .map(p -> lake.relativize(p).toString())
          .filter(p -> p.startsWith("retention_enriched_") && p.endsWith(".parquet"))
          .toList();
    }
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
