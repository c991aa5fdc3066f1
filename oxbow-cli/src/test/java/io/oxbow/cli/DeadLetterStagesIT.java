package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.batch.BatchApp;
import io.oxbow.batch.BatchConfig;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.http.security.ApiKeyRing;
import io.oxbow.serving.ServeConfig;
import io.oxbow.serving.ServingApp;
import io.oxbow.stream.StreamApp;
import io.oxbow.stream.StreamConfig;
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
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One dead-letter contract across the pipeline, on a real broker with the real stream processor,
 * batch loader and serving API sharing one dead-letter topic: a garbage line (stage {@code parse}),
 * a line that parses but fails validation ({@code validate}) and an undecodable value on the landed
 * topic ({@code land}, and {@code deserialize} in the stream processor, which reads that topic for
 * the speed views) each show in {@code GET /api/v1/dlq} (with an admin key) with the topic,
 * partition and offset they came from, their stage, reason and exception.
 */
@ExtendWith(KafkaBackendExtension.class)
class DeadLetterStagesIT {
  private static final String GARBAGE = "this is not an access log line";
  private static final String STATUS_999 =
      "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 999 512 \"-\""
          + " \"Mozilla/5.0 (X11; Linux x86_64)\"";
  private static final String UNDECODABLE = "plain text where Avro belongs";

  private static final ApiKeyRing.Generated OPS = ApiKeyRing.generate("ops-dlq", "admin");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldShowADeadLetterOfEveryStageWithItsSourceReasonAndException(
      KafkaBackend kafka, @TempDir Path dir) throws Exception {
    Path keys = Files.writeString(dir.resolve("api-keys"), OPS.configEntry() + "\n");
    String id = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
    String bootstrap = kafka.bootstrapServers();
    try (SchemaRegistryServer registry =
        SchemaRegistryServer.builder(bootstrap).topic("_schemas-" + id).port(0).start()) {
      StreamConfig stream = streamConfig(bootstrap, registry.url(), id, dir);
      StreamConfig.Topics topics = stream.topics();
      try (StreamApp processor = StreamApp.start(stream, ViewCatalog.defaults(), 1);
          BatchApp loader =
              BatchApp.start(batchConfig(bootstrap, registry.url(), topics, dir, id));
          ServingApp serving = startServing(bootstrap, registry.url(), topics, dir, id, keys)) {
        assertThat(processor.awaitRunning(Duration.ofMinutes(1))).isTrue();

        // Given one bad record for each stage
        RecordMetadata garbage = produceLine(bootstrap, registry.url(), topics.raw(), GARBAGE);
        RecordMetadata status = produceLine(bootstrap, registry.url(), topics.raw(), STATUS_999);
        RecordMetadata undecodable = produceBytes(bootstrap, topics.enriched(), UNDECODABLE);

        // When the serving API has read them all from the dead-letter topic
        JsonNode dlq =
            await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> deadLetters(serving), d -> d.path("total").asLong() >= 4);

        // Then each shows where it came from, which stage refused it, why, and the exception
        // (the stream processor reads the landed topic too, for the speed views, and refuses the
        // undecodable value as well)
        assertThat(dlq.path("total").asLong()).as("%s", dlq).isEqualTo(4);
        Map<String, JsonNode> byStage = new HashMap<>();
        dlq.path("records").forEach(r -> byStage.put(r.path("stage").asText(), r));
        assertThat(byStage).containsOnlyKeys("parse", "validate", "land", "deserialize");

        JsonNode parse = byStage.get("parse");
        assertSource(parse, topics.raw(), garbage);
        assertThat(parse.path("raw").asText()).contains(GARBAGE);
        assertThat(parse.path("reason").asText()).isNotBlank().isUpperCase();
        assertThat(parse.path("exception_class").asText())
            .isEqualTo("io.oxbow.stream.topology.RejectedRecordException");
        assertThat(parse.path("message").asText()).contains("rejected");

        JsonNode validate = byStage.get("validate");
        assertSource(validate, topics.raw(), status);
        assertThat(validate.path("reason").asText()).isEqualTo("STATUS_OUT_OF_RANGE");
        assertThat(validate.path("exception_class").asText())
            .isEqualTo("io.oxbow.stream.topology.RejectedRecordException");
        assertThat(validate.path("message").asText()).contains("status 999");

        JsonNode land = byStage.get("land");
        assertSource(land, topics.enriched(), undecodable);
        assertThat(land.path("raw").asText()).isEqualTo(UNDECODABLE);
        assertThat(land.path("reason").asText()).isEqualTo("UNDECODABLE");
        assertThat(land.path("exception_class").asText()).isNotBlank();
        assertThat(land.path("message").asText()).contains(topics.enriched());

        JsonNode deserialize = byStage.get("deserialize");
        assertSource(deserialize, topics.enriched(), undecodable);
        assertThat(deserialize.path("reason").asText()).isEqualTo("DESERIALIZE_ERROR");
        assertThat(deserialize.path("exception_class").asText()).isNotBlank();

        for (JsonNode letter : byStage.values()) {
          assertThat(Instant.parse(letter.path("time").asText()))
              .isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
        }
      }
    }
  }

  private static void assertSource(JsonNode letter, String topic, RecordMetadata sent) {
    assertThat(letter.path("source_topic").asText()).as("%s", letter).isEqualTo(topic);
    assertThat(letter.path("source_partition").asText())
        .as("%s", letter)
        .isEqualTo(String.valueOf(sent.partition()));
    assertThat(letter.path("source_offset").asText())
        .as("%s", letter)
        .isEqualTo(String.valueOf(sent.offset()));
  }

  /** The stream processor with its own topics (prefixed {@code id.}) and state. */
  private static StreamConfig streamConfig(
      String bootstrap, String registryUrl, String id, Path dir) {
    StreamConfig.Topics topics = StreamConfig.Topics.DEFAULT.prefixed(id + ".");
    return StreamConfig.defaults(bootstrap, registryUrl, id)
        .withTopics(topics)
        .withStateDir(dir.resolve("streams"));
  }

  private static BatchConfig batchConfig(
      String bootstrap, String registryUrl, StreamConfig.Topics topics, Path dir, String id) {
    return BatchConfig.of(
        Map.of(
            "batch.bootstrap-servers",
            bootstrap,
            "batch.schema-registry-url",
            registryUrl,
            "batch.lake-dir",
            dir.resolve("lake").toString(),
            "batch.group-id",
            id + "-batch",
            "batch.datasets",
            topics.enriched() + ":event_time:access-logs.enriched",
            "batch.dlq-topic",
            topics.dlq(),
            "batch.rotate-interval",
            "1s",
            "batch.compaction-interval",
            "0s",
            "batch.http-port",
            "0"));
  }

  private static ServingApp startServing(
      String bootstrap,
      String registryUrl,
      StreamConfig.Topics topics,
      Path dir,
      String id,
      Path keys) {
    ConfigSource source =
        ConfigSource.ofFlags(
            Map.of(
                "serve.bootstrap-servers",
                bootstrap,
                "serve.schema-registry-url",
                registryUrl,
                "serve.port",
                "0",
                "serve.lake-dir",
                dir.resolve("lake").toString(),
                "serve.speed-topic-prefix",
                topics.speedViewPrefix(),
                "serve.dlq-topic",
                topics.dlq(),
                "serve.stream-group",
                id,
                "serve.batch-group",
                id + "-batch",
                "serve.api-key-file",
                keys.toString()));
    return ServingApp.start(
        ServeConfig.from(source), ViewCatalog.defaults(), ServeConfig.SECURITY.read(source));
  }

  private static JsonNode deadLetters(ServingApp serving) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(serving.baseUrl() + "/api/v1/dlq?limit=10"))
            .header("Authorization", "Bearer " + OPS.key())
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Sends one raw line as the ingest app does (Avro through the registry). */
  private static RecordMetadata produceLine(
      String bootstrap, String registryUrl, String topic, String line) throws Exception {
    try (AvroSerde<RawLogLine> serde =
            AvroSerde.specific(Map.of("schema.registry.url", registryUrl), false);
        KafkaProducer<String, RawLogLine> producer =
            new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                serde.serializer())) {
      RawLogLine raw =
          RawLogLine.newBuilder()
              .setLine(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)))
              .setSource("dlq-it")
              .setReceivedTime(Instant.now())
              .setIngestId("dlq-it")
              .setSequence(0)
              .build();
      return producer.send(new ProducerRecord<>(topic, "dlq-it", raw)).get();
    }
  }

  /** Sends bytes that are not Avro to a topic the batch loader lands. */
  private static RecordMetadata produceBytes(String bootstrap, String topic, String value)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      return producer
          .send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8)))
          .get();
    }
  }
}
