package io.oxbow.ingest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.ingest.IngestApp;
import io.oxbow.ingest.IngestConfig;
import io.oxbow.ingest.TestSupport;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.config.ConfigSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a real process, killed with SIGKILL at random moments while its file grows and is
 * rotated both ways (rename-and-create, copytruncate; rotated files later gzipped): after the last
 * restart the topic holds every line exactly once, in order.
 */
@ExtendWith(KafkaBackendExtension.class)
class AgentCrashIT {
  private static final int LINES = 3000;
  private static final int ROTATE_EVERY = 600;

  @TempDir Path dir;
  private final java.util.Set<Long> startedAgents =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Path output =
      Path.of("target", "agent-crash-" + UUID.randomUUID().toString().substring(0, 8) + ".out");

  @Test
  void shouldDeliverEveryLineExactlyOnceAcrossKillsAndRotations(KafkaBackend kafka)
      throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "agent-logs-" + id;
    IngestConfig config =
        IngestConfig.from(
            ConfigSource.ofFlags(
                Map.of(
                    IngestConfig.BOOTSTRAP_SERVERS.key(),
                    kafka.bootstrapServers(),
                    IngestConfig.PORT.key(),
                    "0",
                    IngestConfig.HOST.key(),
                    "127.0.0.1",
                    IngestConfig.LOGS_TOPIC.key(),
                    topic,
                    IngestConfig.IDEMPOTENCY_TOPIC.key(),
                    "agent-idem-" + id,
                    IngestConfig.TRANSACTIONAL_ID_PREFIX.key(),
                    "agent-" + id)));
    Path log = dir.resolve("access.log");
    Files.createFile(log);
    try (IngestApp app =
        IngestApp.builder(config)
            .logSerializer(TestSupport.<RawLogLine>avroSerializer())
            .orderSerializer(TestSupport.<Order>avroSerializer())
            .build()
            .start()) {
      Thread writer = new Thread(() -> writeAndRotate(log), "log-writer");
      writer.start();
      Random random = new Random(7);
      int kills = 0;
      while (writer.isAlive()) {
        Process agent = startAgent(log, app.baseUrl());
        // kill at a random moment once it runs (its JVM start is not what is being tested)
        await().atMost(Duration.ofSeconds(30)).until(() -> started(agent));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(1000)));
        agent.destroyForcibly().waitFor();
        kills++;
      }
      Process last = startAgent(log, app.baseUrl());
      try {
        List<String> expected = IntStream.range(0, LINES).mapToObj(AgentCrashIT::line).toList();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> assertThat(summary(lines(kafka, topic))).isEqualTo(summary(expected)));
        assertThat(kills).isGreaterThanOrEqualTo(3);
        assertThat(lines(kafka, topic)).containsExactlyElementsOf(expected);
      } finally {
        last.destroyForcibly().waitFor();
      }
    }
  }

  /** Count, distinct count, first line out of place: a readable difference. */
  private static String summary(List<String> lines) {
    int firstOff = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).equals(line(i))) {
        firstOff = i;
        break;
      }
    }
    return "lines="
        + lines.size()
        + " distinct="
        + lines.stream().distinct().count()
        + " firstOutOfPlace="
        + (firstOff < 0 ? "none" : firstOff + ":" + lines.get(firstOff).substring(0, 11));
  }

  private List<String> lines(KafkaBackend kafka, String topic) {
    return TestSupport.readAll(kafka.bootstrapServers(), topic).stream()
        .map(r -> TestSupport.avroRead(r.value(), RawLogLine.class))
        .map(l -> StandardCharsets.UTF_8.decode(l.getLine()).toString())
        .toList();
  }

  private Process startAgent(Path log, String url) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                AgentProcessMain.class.getName(),
                "--file",
                log.toString(),
                "--to",
                url,
                "--state",
                dir.resolve("agent.state").toString(),
                "--batch-lines",
                "50",
                "--linger-ms",
                "20",
                "--poll-ms",
                "20",
                "--max-backoff-ms",
                "500"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread pump =
        new Thread(
            () -> {
              try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
                String text;
                while ((text = reader.readLine()) != null) {
                  if (text.startsWith("agent: following")) {
                    startedAgents.add(process.pid());
                  }
                  Files.writeString(
                      output, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
              } catch (IOException e) {
                // the process was killed
              }
            },
            "agent-output");
    pump.setDaemon(true);
    pump.start();
    return process;
  }

  private boolean started(Process process) {
    return startedAgents.contains(process.pid()) || !process.isAlive();
  }

  private static String line(int i) {
    return String.format("line %06d %s", i, "x".repeat(120));
  }

  /** Appends the lines at a steady pace, rotating every few hundred lines, alternating styles. */
  private static void writeAndRotate(Path log) {
    try {
      List<Path> toCompress = new ArrayList<>();
      int rotation = 0;
      OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND);
      for (int i = 0; i < LINES; i++) {
        out.write((line(i) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (i % 10 == 9) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(40));
        }
        if (i % ROTATE_EVERY == ROTATE_EVERY - 1 && i < LINES - 1) {
          rotation++;
          for (Path old : toCompress) {
            gzip(old);
          }
          toCompress.clear();
          Path rotated = log.resolveSibling(log.getFileName() + "." + rotation);
          if (rotation % 2 == 1) {
            out.close();
            Files.move(log, rotated, StandardCopyOption.ATOMIC_MOVE);
            out =
                Files.newOutputStream(
                    log, StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND);
          } else {
            Files.copy(log, rotated);
            try (var channel = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
              channel.truncate(0);
            }
          }
          toCompress.add(rotated);
        }
      }
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void gzip(Path file) throws IOException {
    Path gz = file.resolveSibling(file.getFileName() + ".gz");
    Path tmp = file.resolveSibling(file.getFileName() + ".gz.tmp");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
      Files.copy(file, out);
    }
    // like gzip(1), the compressed file keeps the original's modification time
    Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(file));
    Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(file);
  }
}
