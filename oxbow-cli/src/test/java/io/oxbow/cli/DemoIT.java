package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oxbow demo} as a user runs it, as a real process from the built artifacts: it prints its
 * URLs, replays a slice of the real sample, and once the batch watermark passes the last complete
 * hour the merged {@code traffic} totals equal the lines replayed; after SIGTERM and a restart on
 * the same data directory nothing is counted twice.
 */
class DemoIT {
  private static final Path ELASTIC =
      Path.of(System.getProperty("oxbow.root", ".."))
          .resolve("samples/access-logs/elastic_apache_logs.log");
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
  private static final Pattern TIMESTAMP = Pattern.compile("\\[([^\\]]+)\\]");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  private final HttpClient http = HttpClient.newHttpClient();
  private String apiKey;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void demoReplaysMergesExactlyAndResumesWithoutDoubling(@TempDir Path dir) throws Exception {
    List<String> sample = Files.readAllLines(ELASTIC, StandardCharsets.UTF_8).subList(0, 2000);
    Path logs = dir.resolve("sample.log");
    Files.write(logs, sample, StandardCharsets.UTF_8);
    Path dataDir = dir.resolve("data");
    String offset = String.valueOf(20000 + ThreadLocalRandom.current().nextInt(0, 20) * 100);
    Map<String, String> env =
        Map.of(
            "OXBOW_BATCH_ALLOWED_LATENESS", "1m",
            "OXBOW_BATCH_IDLE_TIMEOUT", "5s",
            "OXBOW_BATCH_COMPACTION_INTERVAL", "2s");
    String[] args = {
      "demo",
      "--speed",
      "max",
      "--logs",
      logs.toString(),
      "--data-dir",
      dataDir.toString(),
      "--port-offset",
      offset
    };

    long requestsBeforeRestart;
    Window window;
    try (OxbowProcess demo = OxbowProcess.start(env, args)) {
      assertThat(demo.awaitLine("kafka: ", START_TIMEOUT)).matches("127\\.0\\.0\\.1:\\d+");
      assertThat(demo.awaitLine("registry: ", Duration.ofSeconds(5))).startsWith("http://");
      assertThat(demo.awaitLine("ingest: ", Duration.ofSeconds(5))).startsWith("http://");
      assertThat(demo.awaitLine("dashboard: ", Duration.ofSeconds(5))).endsWith("/");
      apiKey = demo.awaitLine("api key: ", Duration.ofSeconds(5));
      assertThat(apiKey).startsWith("oxb_");
      String api = demo.awaitLine("api: ", Duration.ofSeconds(5));
      demo.awaitLine("replay: done", Duration.ofMinutes(3));

      window = replayedWindow(sample, dataDir);
      Instant lastCompleteHour = window.last().truncatedTo(ChronoUnit.HOURS);
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> watermark(api).map(w -> !w.isBefore(lastCompleteHour)).orElse(false));

      // every complete hour comes from the batch view and converges to a direct count of the
      // lines (hours closed while rows were still on their way are re-compacted when they land);
      // no answer on the way ever exceeds it
      long direct = window.times().stream().filter(t -> t.isBefore(lastCompleteHour)).count();
      assertThat(direct).isPositive();
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                long answer = requests(api, window.first(), lastCompleteHour);
                assertThat(answer).isLessThanOrEqualTo(direct);
                return answer == direct;
              });

      // the whole range, merged across the seam, never counts a line twice
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> requests(api, window.first(), window.end()) == sample.size());
      requestsBeforeRestart = requests(api, window.first(), window.end());

      assertThat(demo.terminate(Duration.ofSeconds(15))).isIn(0, 130, 143);
    }

    try (OxbowProcess again = OxbowProcess.start(env, args)) {
      String api = again.awaitLine("api: ", START_TIMEOUT);
      again.awaitLine("replay: done", Duration.ofMinutes(1));
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> caughtUp(api));
      assertThat(requests(api, window.first(), window.end())).isEqualTo(requestsBeforeRestart);
      assertThat(again.terminate(Duration.ofSeconds(15))).isIn(0, 130, 143);
    }
  }

  /** Event times of the replayed lines, as the demo moved them (from its replay checkpoint). */
  private Window replayedWindow(List<String> lines, Path dataDir) throws IOException {
    JsonNode state = json.readTree(dataDir.resolve("demo/replay.json").toFile());
    Duration shift = Duration.ofMillis(state.path("shift_millis").asLong());
    assertThat(state.path("acknowledged").asInt()).isEqualTo(lines.size());
    List<Instant> times =
        lines.stream()
            .map(
                l -> {
                  Matcher m = TIMESTAMP.matcher(l);
                  assertThat(m.find()).as(l).isTrue();
                  return OffsetDateTime.parse(m.group(1), CLF).toInstant().plus(shift);
                })
            .toList();
    Instant first = times.stream().min(Instant::compareTo).orElseThrow();
    Instant last = times.stream().max(Instant::compareTo).orElseThrow();
    return new Window(times, first, last);
  }

  private record Window(List<Instant> times, Instant first, Instant last) {
    Instant end() {
      return last.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    }
  }

  private long requests(String api, Instant from, Instant to) throws Exception {
    Instant start = from.truncatedTo(ChronoUnit.HOURS);
    JsonNode body =
        get(
            api
                + "/views/traffic/query?granularity=hour&metrics=requests&from="
                + encode(start)
                + "&to="
                + encode(to));
    long total = 0;
    for (JsonNode row : body.path("rows")) {
      total += row.path("metrics").path("requests").asLong();
    }
    return total;
  }

  private java.util.Optional<Instant> watermark(String api) throws Exception {
    JsonNode w = get(api + "/status").path("watermark");
    return w.isTextual()
        ? java.util.Optional.of(Instant.parse(w.asText()))
        : java.util.Optional.empty();
  }

  private boolean caughtUp(String api) throws Exception {
    return get(api + "/status").path("serving").path("speed_caught_up").asBoolean(false);
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + apiKey)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + " -> " + response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private static String encode(Instant t) {
    return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }
}
