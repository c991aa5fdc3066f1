package io.oxbow.ingest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.ingest.IngestApp;
import io.oxbow.ingest.IngestConfig;
import io.oxbow.ingest.TestSupport;
import io.oxbow.ingest.client.IngestTarget;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.config.ConfigSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The agent in-process: several files, each its own source; a batch the app refuses stops it. */
@ExtendWith(KafkaBackendExtension.class)
class AgentIT {
  @TempDir Path dir;
  private String bootstrap;
  private String topic;
  private IngestApp app;

  @BeforeEach
  void start(KafkaBackend kafka) throws Exception {
    bootstrap = kafka.bootstrapServers();
    String id = UUID.randomUUID().toString().substring(0, 8);
    topic = "agent-it-" + id;
    app =
        IngestApp.builder(
                IngestConfig.from(
                    ConfigSource.ofFlags(
                        Map.of(
                            IngestConfig.BOOTSTRAP_SERVERS.key(),
                            bootstrap,
                            IngestConfig.PORT.key(),
                            "0",
                            IngestConfig.HOST.key(),
                            "127.0.0.1",
                            IngestConfig.LOGS_TOPIC.key(),
                            topic,
                            IngestConfig.MAX_LINE_BYTES.key(),
                            "100",
                            IngestConfig.IDEMPOTENCY_TOPIC.key(),
                            "agent-it-idem-" + id,
                            IngestConfig.TRANSACTIONAL_ID_PREFIX.key(),
                            "agent-it-" + id))))
            .logSerializer(TestSupport.<RawLogLine>avroSerializer())
            .orderSerializer(TestSupport.<Order>avroSerializer())
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private AgentOptions options(List<Path> files) {
    return new AgentOptions(
        files,
        IngestTarget.of(URI.create(app.baseUrl()), null),
        dir.resolve("agent.state"),
        null,
        100,
        65536,
        Duration.ofMillis(20),
        Duration.ofMillis(20),
        Duration.ofMillis(200));
  }

  private Map<String, List<String>> linesBySource() {
    return TestSupport.readAll(bootstrap, topic).stream()
        .map(r -> TestSupport.avroRead(r.value(), RawLogLine.class))
        .collect(
            Collectors.groupingBy(
                RawLogLine::getSource,
                Collectors.mapping(
                    l -> StandardCharsets.UTF_8.decode(l.getLine()).toString(),
                    Collectors.toList())));
  }

  @Test
  void shouldShipEveryFileUnderItsOwnSourceAndFollowGrowth() throws Exception {
    Path a = Files.writeString(dir.resolve("a.log"), "a1\na2\n");
    Path b = Files.writeString(dir.resolve("b.log"), "b1\n");
    try (Agent agent = Agent.start(options(List.of(a, b)))) {
      await().untilAsserted(() -> assertThat(linesBySource()).hasSize(2));
      Files.writeString(a, "a3\npartial", java.nio.file.StandardOpenOption.APPEND);
      await()
          .untilAsserted(
              () ->
                  assertThat(linesBySource().get(a.toString())).containsExactly("a1", "a2", "a3"));
      assertThat(linesBySource().get(b.toString())).containsExactly("b1");
      assertThat(agent.running()).isTrue();
    }
  }

  @Test
  void shouldStopNamingFileAndOffsetWhenTheAppRefusesABatch() throws Exception {
    Path log = Files.writeString(dir.resolve("c.log"), "ok\n" + "y".repeat(500) + "\n");
    try (Agent agent = Agent.start(options(List.of(log)))) {
      await().until(() -> !agent.running());
      assertThat(agent.failure())
          .hasValueSatisfying(
              f ->
                  assertThat(f.getMessage())
                      .contains(log.toString())
                      .contains("offset 0")
                      .contains("413"));
    }
    assertThat(linesBySource()).isEmpty();
  }
}
