package io.oxbow.stream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.contracts.avro.Visit;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.stream.StreamConfig;
import io.oxbow.views.record.VisitorKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the stream processor, a real separate process, with SIGKILL while it sessionizes a replay
 * whose visits close one after the other, and starts it again: with exactly_once_v2 the {@code
 * visits} topic (read committed) holds every visit of a direct sessionization written here, once.
 */
@ExtendWith(KafkaBackendExtension.class)
class VisitCrashIT {
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final long TIMEOUT = Duration.ofMinutes(30).toMillis();
  private static final List<String> AGENTS =
      List.of(
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/120.0.0.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like"
              + " Gecko) Version/17.1 Safari/605.1.15");

  private final String id = UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path dir;

  /** One request of the replay. */
  private record Hit(long time, String client, String agent, String path) {}

  @Test
  void shouldNeitherLoseNorRepeatAVisitAcrossAKillNine(KafkaBackend kafka) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    try (SchemaRegistryServer registry =
        SchemaRegistryServer.builder(bootstrap).topic("_schemas-vcrash-" + id).port(0).start()) {
      String prefix = "vcrash-" + id + ".";
      StreamConfig.Topics topics = StreamConfig.Topics.DEFAULT.prefixed(prefix);
      List<String> args =
          List.of(
              "--bootstrap-servers",
              bootstrap,
              "--schema-registry-url",
              registry.url(),
              "--application-id",
              "vcrash-it-" + id,
              "--state-dir",
              dir.resolve("state").toString(),
              "--topic-prefix",
              prefix,
              "--http-port",
              "0");
      // a few hours ending an hour ago: recent enough for the changelogs' time retention
      Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
      List<Hit> hits = replay(end.minus(Duration.ofHours(5)), end);
      // then one page view per visitor of its own, now: every partition's stream time passes the
      // replay's last visit by more than the timeout and grace, so each replayed visit closes
      List<Hit> flush = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        flush.add(new Hit(Instant.now().toEpochMilli(), "81.2.70." + i, AGENTS.get(0), "/now"));
      }
      List<String> expected = sessionize(hits);

      Process first = StreamCrashIT.start(args, dir.resolve("first.log"));
      try {
        StreamCrashIT.awaitRunning(first, dir.resolve("first.log"));
        Samples.produce(bootstrap, registry.url(), topics.raw(), lines(hits));
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> visits(bootstrap, registry.url(), topics).size() >= expected.size() / 4);
      } finally {
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no close
        first.waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(visits(bootstrap, registry.url(), topics).size())
          .as("killed mid-replay")
          .isLessThan(expected.size());

      Process second = StreamCrashIT.start(args, dir.resolve("second.log"));
      try {
        StreamCrashIT.awaitRunning(second, dir.resolve("second.log"));
        Samples.produce(bootstrap, registry.url(), topics.raw(), lines(flush));
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> visits(bootstrap, registry.url(), topics).size() >= expected.size());
        List<String> actual =
            visits(bootstrap, registry.url(), topics).stream()
                .map(r -> describe(r.value()))
                .sorted()
                .toList();
        assertThat(actual).isEqualTo(expected);
      } finally {
        second.destroy();
        if (!second.waitFor(40, TimeUnit.SECONDS)) {
          second.destroyForcibly();
        }
      }
    }
  }

  /**
   * 120 visitors, each with visits of 1 to 12 page views a few minutes apart and gaps of 31 to 90
   * minutes between visits, plus stylesheets (not page views); in time order.
   */
  private static List<Hit> replay(Instant from, Instant to) {
    Random random = new Random(24);
    List<Hit> hits = new ArrayList<>();
    for (int v = 0; v < 120; v++) {
      String client = "81.2.69." + (v % 60 + 1);
      String agent = AGENTS.get(v / 60);
      long t = from.toEpochMilli() + random.nextInt(3_600) * 1000L;
      while (t < to.toEpochMilli()) {
        int pages = 1 + random.nextInt(12);
        for (int p = 0; p < pages && t < to.toEpochMilli(); p++) {
          hits.add(new Hit(t, client, agent, "/page/" + random.nextInt(40)));
          if (random.nextInt(4) == 0) {
            hits.add(new Hit(t + 1000, client, agent, "/site.css"));
          }
          t += (10 + random.nextInt(600)) * 1000L;
        }
        t += (31 + random.nextInt(60)) * 60_000L;
      }
    }
    hits.sort(Comparator.comparingLong(Hit::time));
    return hits;
  }

  /** The visits of {@code hits}, computed here: page views 30 minutes apart at most. */
  private static List<String> sessionize(List<Hit> hits) {
    Map<String, List<Long>> times = new HashMap<>();
    for (Hit h : hits) {
      if (!h.path().endsWith(".css")) {
        times
            .computeIfAbsent(VisitorKey.of(h.client(), h.agent()), k -> new ArrayList<>())
            .add(h.time());
      }
    }
    List<String> visits = new ArrayList<>();
    times.forEach(
        (visitor, list) -> {
          list.sort(null);
          long start = list.get(0);
          long last = start;
          long pages = 0;
          for (long t : list) {
            if (t - last > TIMEOUT) {
              visits.add(visitor + " " + start + " " + last + " " + pages);
              start = t;
              pages = 0;
            }
            pages++;
            last = t;
          }
          visits.add(visitor + " " + start + " " + last + " " + pages);
        });
    visits.sort(null);
    return visits;
  }

  private static String describe(Visit v) {
    return v.getVisitor()
        + " "
        + v.getStartTime().toEpochMilli()
        + " "
        + v.getEndTime().toEpochMilli()
        + " "
        + v.getPageViews();
  }

  private static List<RawLogLine> lines(List<Hit> hits) {
    List<RawLogLine> out = new ArrayList<>();
    Instant received = Instant.now();
    int seq = 0;
    for (Hit h : hits) {
      String line =
          h.client()
              + " - - ["
              + CLF.format(Instant.ofEpochMilli(h.time()))
              + " +0000] \"GET "
              + h.path()
              + " HTTP/1.1\" 200 512 \"https://www.example.org/\" \""
              + h.agent()
              + "\"";
      out.add(
          RawLogLine.newBuilder()
              .setLine(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)))
              .setSource("visits")
              .setReceivedTime(received)
              .setIngestId("it")
              .setSequence(seq++)
              .build());
    }
    return out;
  }

  private static List<ConsumerRecord<byte[], Visit>> visits(
      String bootstrap, String registryUrl, StreamConfig.Topics topics) {
    try (AvroSerde<Visit> serde =
        AvroSerde.specific(Map.of("schema.registry.url", registryUrl), false)) {
      return Samples.readAll(bootstrap, topics.visits(), serde.deserializer());
    }
  }
}
