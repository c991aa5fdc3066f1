package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.batch.BatchApp;
import io.oxbow.batch.BatchConfig;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.stream.StreamApp;
import io.oxbow.stream.StreamConfig;
import io.oxbow.views.Aggregate;
import io.oxbow.views.ViewCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch watermark during a stream-processor outage, on a real broker with the real stream
 * processor and batch loader: while records wait on the raw topic, the landed topic going quiet for
 * the idle timeout does not let the wall clock close the hours (the loader's {@code /status} says
 * the upstream group holds the watermark); once the stream processor is back and its records are
 * landed, the watermark moves and the batch view of the closed hours holds every record.
 */
@ExtendWith(KafkaBackendExtension.class)
class WatermarkUpstreamIT {
  private static final Logger log = LoggerFactory.getLogger(WatermarkUpstreamIT.class);
  private static final Path SAMPLE =
      Path.of(System.getProperty("oxbow.root", ".."))
          .resolve("samples/access-logs/elastic_apache_logs.log");
  private static final Duration LATENESS = Duration.ofMinutes(1);
  private static final Duration IDLE = Duration.ofSeconds(30);
  private static final Instant FIRST_HALF_WATERMARK = Instant.parse("2015-05-17T11:00:00Z");

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void watermarkWaitsForTheStreamProcessorAndMovesOnceItsRecordsAreLanded(
      KafkaBackend kafka, @TempDir Path dir) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String id = "wm-" + UUID.randomUUID().toString().substring(0, 8);
    // the first 300 lines of the sample are valid requests from public addresses: each becomes one
    // enriched event, 2015-05-17 from 10:05; lines 100 to 150 are at 11:05, the last at 12:05
    List<String> lines = Files.readAllLines(SAMPLE, StandardCharsets.UTF_8).subList(0, 300);
    try (SchemaRegistryServer registry =
        SchemaRegistryServer.builder(bootstrap).topic("_schemas-" + id).port(0).start()) {
      StreamConfig stream =
          StreamConfig.defaults(bootstrap, registry.url(), id)
              .withTopics(StreamConfig.Topics.DEFAULT.prefixed(id + "."))
              .withStateDir(dir.resolve("streams"));
      String enriched = stream.topics().enriched();
      BatchConfig batch =
          BatchConfig.of(
              Map.ofEntries(
                  Map.entry("batch.bootstrap-servers", bootstrap),
                  Map.entry("batch.schema-registry-url", registry.url()),
                  Map.entry("batch.lake-dir", dir.resolve("lake").toString()),
                  Map.entry("batch.group-id", id + "-batch"),
                  Map.entry("batch.datasets", enriched + ":event_time:access-logs.enriched"),
                  Map.entry("batch.upstream-group-id", id),
                  Map.entry("batch.upstream-topics", enriched + "=" + stream.topics().raw()),
                  Map.entry("batch.rotate-interval", "1s"),
                  Map.entry("batch.allowed-lateness", "1m"),
                  Map.entry("batch.idle-timeout", IDLE.toSeconds() + "s"),
                  Map.entry("batch.compaction-interval", "1s"),
                  Map.entry("batch.http-port", "0")));

      StreamApp processor = StreamApp.start(stream, ViewCatalog.defaults(), 3);
      assertThat(processor.awaitRunning(Duration.ofMinutes(2))).isTrue();
      // records first: on an empty pipeline the wall clock rightly closes every past hour at once
      produce(bootstrap, registry.url(), stream.topics().raw(), id, lines.subList(0, 150));
      try (BatchApp loader = BatchApp.start(batch)) {
        // Given the first half processed and landed: the watermark follows its event time, every
        // partition past 11:05, so the hour 10:00 closes (the compactor publishes the watermark
        // after the rows land, so an earlier watermark may show first)
        long before = FIRST_HALF_WATERMARK.toEpochMilli();
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    loader.rowsLanded() == 150
                        && watermark(loader).equals(OptionalLong.of(before)));
        assertThat(before).as("%s", status(loader)).isLessThan(wallClockWatermark());

        // When the stream processor stops with the second half waiting on the raw topic
        long stopping = System.nanoTime();
        processor.close(Duration.ofSeconds(30));
        produce(bootstrap, registry.url(), stream.topics().raw(), id, lines.subList(150, 300));
        log.info("stream processor stopped in {} ms", (System.nanoTime() - stopping) / 1_000_000);
        assertThat(watermark(loader).getAsLong())
            .as("the idle timeout passed before the outage began; the test cannot tell")
            .isEqualTo(before);

        // Then past the idle timeout the loader reports the upstream lag and keeps the watermark
        long outage = System.nanoTime();
        JsonNode held =
            await()
                .atMost(Duration.ofMinutes(2))
                .until(() -> status(loader).path("datasets").path(enriched), this::heldByUpstream);
        log.info(
            "held after {} ms: {}", (System.nanoTime() - outage) / 1_000_000, held.path("reason"));
        assertThat(held.path("reason").asText())
            .startsWith("held: upstream group " + id + " lags ")
            .endsWith(" on " + stream.topics().raw());
        // the 150 records and, per raw partition, at most the markers of both transactions
        assertThat(held.path("upstream_lag").path(stream.topics().raw()).asLong())
            .isBetween(150L, 156L);
        assertThat(watermark(loader).getAsLong()).isEqualTo(before);
        assertThat(status(loader).path("views").path("traffic").path("watermark").asText())
            .isEqualTo(Instant.ofEpochMilli(before).toString());
        assertThat(get(loader.httpUrl() + "/metrics").lines())
            .anyMatch(
                l ->
                    l.startsWith("oxbow_batch_watermark_held{")
                        && l.contains("dataset=\"" + enriched + "\"")
                        && l.endsWith(" 1.0"));

        // When the stream processor is back, its records land and then the watermark moves
        processor = StreamApp.start(stream, ViewCatalog.defaults(), 3);
        long restarted = System.nanoTime();
        // (the second half's event time moves it first; once everything is landed and the idle
        // timeout has passed, the wall clock does)
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> watermark(loader).getAsLong() >= wallClockWatermark() - LandedFile.HOUR_MS);
        log.info(
            "watermark at the wall clock {} ms after the restart",
            (System.nanoTime() - restarted) / 1_000_000);
        long after = watermark(loader).getAsLong();
        assertThat(loader.rowsLanded()).isEqualTo(300);
        long inBatchView =
            loader
                .reader()
                .read(ViewCatalog.defaults().folder("traffic"), 0, after)
                .values()
                .stream()
                .mapToLong(Aggregate::records)
                .sum();
        assertThat(inBatchView).isEqualTo(300);
        assertThat(status(loader).path("datasets").path(enriched).path("basis").asText())
            .isEqualTo("wall-clock");
      } finally {
        processor.close(Duration.ofSeconds(30));
      }
    }
  }

  private boolean heldByUpstream(JsonNode dataset) {
    return dataset.path("held_by_upstream").asBoolean();
  }

  private static OptionalLong watermark(BatchApp loader) {
    return loader.reader().watermark("traffic");
  }

  private static long wallClockWatermark() {
    return LandedFile.hourOf(System.currentTimeMillis() - LATENESS.toMillis());
  }

  private JsonNode status(BatchApp loader) throws Exception {
    return json.readTree(get(loader.httpUrl() + "/status"));
  }

  private String get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  /**
   * Sends the lines in one transaction, as the ingest app does, from three sources (the same three
   * every time, so both halves go to the raw partitions the stream processor has committed).
   */
  private static void produce(
      String bootstrap, String registryUrl, String topic, String source, List<String> lines) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            source + "-" + UUID.randomUUID());
    Instant received = Instant.now();
    try (AvroSerde<RawLogLine> serde =
            AvroSerde.specific(Map.of("schema.registry.url", registryUrl), false);
        KafkaProducer<String, RawLogLine> producer =
            new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < lines.size(); i++) {
        String key = source + "-" + (i % 3);
        producer.send(
            new ProducerRecord<>(
                topic,
                key,
                RawLogLine.newBuilder()
                    .setLine(ByteBuffer.wrap(lines.get(i).getBytes(StandardCharsets.UTF_8)))
                    .setSource(key)
                    .setReceivedTime(received)
                    .setIngestId(source)
                    .setSequence(i)
                    .build()));
      }
      producer.commitTransaction();
    }
  }
}
