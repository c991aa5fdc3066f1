package io.oxbow.ingest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.ingest.IngestApp;
import io.oxbow.ingest.IngestConfig;
import io.oxbow.ingest.IngestProcessMain;
import io.oxbow.ingest.TestSupport;
import io.oxbow.ingest.client.IngestTarget;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.config.ConfigSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent sending to two ingest instances on one broker: the first, a process of its own, is
 * killed with SIGKILL while the agent sends through it, and restarted later (on another port the
 * agent does not know). The agent fails over to the second instance, and the raw topic ({@code
 * read_committed}) holds every line of the file exactly once, all acknowledged.
 */
@ExtendWith(KafkaBackendExtension.class)
class AgentFailoverIT {
  private static final int LINES = 2000;
  private static final Pattern LINE = Pattern.compile("line (\\d{6}) ");

  @TempDir Path dir;

  @Test
  void shouldDeliverEveryLineOnceWhenTheInstanceItSendsToIsKilled(KafkaBackend kafka)
      throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "failover-logs-" + id;
    Path log = dir.resolve("access.log");
    Files.createFile(log);
    Process first = startInstance(kafka, id, topic);
    try (IngestApp second = startInProcess(kafka, id, topic)) {
      URI firstUrl = URI.create(urlOf(first));
      AtomicInteger written = new AtomicInteger();
      Thread writer = new Thread(() -> append(log, written), "log-writer");
      writer.start();
      try (Agent agent =
          Agent.start(
              new AgentOptions(
                  List.of(log),
                  new IngestTarget(List.of(firstUrl, URI.create(second.baseUrl())), null, null),
                  dir.resolve("agent.state"),
                  "web-1",
                  20,
                  65536,
                  Duration.ofMillis(20),
                  Duration.ofMillis(20),
                  Duration.ofMillis(500)))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= LINES / 3);
        first.destroyForcibly().waitFor();
        int writtenAtKill = written.get();
        // restarted with the same transactional ids: Kafka aborts what the killed one left open
        first = startInstance(kafka, id, topic);
        urlOf(first);
        writer.join();

        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(counts(kafka, topic)).hasSize(LINES));
        Map<Integer, Long> counts = counts(kafka, topic);
        assertThat(counts.values()).as("every line exactly once").containsOnly(1L);
        assertThat(agent.running()).isTrue();
        assertThat(acceptedBy(second.baseUrl()))
            .as("the second instance took the lines from the kill on")
            .isGreaterThanOrEqualTo(LINES - writtenAtKill)
            .isLessThan(LINES);
        long fileBytes = Files.size(log);
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(
                            new ObjectMapper()
                                .readTree(dir.resolve("agent.state").toFile())
                                .findValues("offset"))
                        .as("every line acknowledged: the saved position is the file's end")
                        .extracting(JsonNode::asLong)
                        .containsExactly(fileBytes));
      }
    } finally {
      first.destroyForcibly().waitFor();
    }
  }

  /** How often each line number is in the topic, read_committed. */
  private static Map<Integer, Long> counts(KafkaBackend kafka, String topic) {
    return TestSupport.readAll(kafka.bootstrapServers(), topic).stream()
        .map(ConsumerRecord::value)
        .map(AgentFailoverIT::lineNumber)
        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
  }

  /** The line's number, found in the record's bytes whichever serializer wrote it. */
  private static int lineNumber(byte[] value) {
    Matcher m = LINE.matcher(new String(value, StandardCharsets.ISO_8859_1));
    if (!m.find()) {
      throw new AssertionError("a record without a line of the file");
    }
    return Integer.parseInt(m.group(1));
  }

  private static long acceptedBy(String url) throws Exception {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("ingest_records_accepted_total{") && l.contains("logs"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static void append(Path log, AtomicInteger written) {
    try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
      for (int i = 0; i < LINES; i++) {
        out.write(
            String.format("line %06d %s%n", i, "x".repeat(80)).getBytes(StandardCharsets.UTF_8));
        out.flush();
        written.incrementAndGet();
        if (i % 10 == 9) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private IngestApp startInProcess(KafkaBackend kafka, String id, String topic)
      throws InterruptedException {
    return IngestApp.builder(
            IngestConfig.from(
                ConfigSource.ofFlags(
                    Map.of(
                        IngestConfig.BOOTSTRAP_SERVERS.key(),
                        kafka.bootstrapServers(),
                        IngestConfig.PORT.key(),
                        "0",
                        IngestConfig.LOGS_TOPIC.key(),
                        topic,
                        IngestConfig.IDEMPOTENCY_TOPIC.key(),
                        "failover-idem-" + id,
                        IngestConfig.TRANSACTIONAL_ID_PREFIX.key(),
                        "failover-second-" + id))))
        .logSerializer(TestSupport.<RawLogLine>avroSerializer())
        .orderSerializer(TestSupport.<Order>avroSerializer())
        .build()
        .start();
  }

  private Process startInstance(KafkaBackend kafka, String id, String topic) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            IngestProcessMain.class.getName(),
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--port",
            "0",
            "--schema-registry-url",
            "mock://failover-" + id,
            "--set",
            "ingest.logs-topic=" + topic,
            "--set",
            "ingest.idempotency-topic=failover-idem-" + id,
            "--set",
            "ingest.transactional-id-prefix=failover-first-" + id)
        .redirectErrorStream(true)
        .start();
  }

  /** Waits for the instance's ready line; its output is then drained so it never blocks. */
  private static String urlOf(Process process) throws IOException {
    BufferedReader out = process.inputReader(StandardCharsets.UTF_8);
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("ingest: http://")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "ingest-output");
        drain.setDaemon(true);
        drain.start();
        return line.substring("ingest: ".length());
      }
    }
    throw new AssertionError("the ingest process ended before it was ready");
  }
}
