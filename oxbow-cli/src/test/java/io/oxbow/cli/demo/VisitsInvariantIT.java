package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.contracts.TopicNames;
import io.oxbow.contracts.avro.AccessLogEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lambda invariant of the {@code visits} view, with every service in one process: replay the
 * bundled sample at its original times; once the batch layer has caught up, the merged answer's
 * visits, bounces and page views per hour (of the visits' start) equal a direct sessionization of
 * the enriched events written here independently (30 min timeout); before that, no hour ever
 * exceeds it.
 */
class VisitsInvariantIT {
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", "../.."));
  private static final long TIMEOUT = Duration.ofMinutes(30).toMillis();
  private static final Set<String> ASSETS =
      Set.of(
          "css", "js", "map", "png", "jpg", "jpeg", "gif", "ico", "svg", "webp", "woff", "woff2",
          "ttf", "eot", "xml", "rss", "txt");
  private static final List<String> METRICS = List.of("visits", "bounces", "page_views");

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private String apiKey;

  @Test
  void mergedVisitsEqualADirectSessionizationAndNeverExceedIt(@TempDir Path dir) throws Exception {
    // every port (8070..9092 plus the offset) below the kernel's ephemeral range (32768 and up),
    // where a client connection's local port could take one first
    int offset = 16000 + ThreadLocalRandom.current().nextInt(0, 20) * 100 + 50;
    Map<String, String> settings =
        Map.of(
            // a late page view can join two visits into one, so the batch layer closes an hour
            // only once the sample's disorder (up to an hour) is behind it
            "batch.allowed-lateness", "2h",
            "batch.idle-timeout", "5s",
            "batch.compaction-interval", "2s",
            // the sample is out of order by up to an hour: the speed layer keeps every page view,
            // so the visits it closes are the true ones
            "stream.grace", "3h",
            "serve.max-query-windows", "100000");
    try (DemoStack stack = DemoStack.start(dir.resolve("data"), offset, List.of(), settings)) {
      Replayer.of(
              List.of(ROOT.resolve("samples/access-logs/elastic_apache_logs.log")),
              URI.create(stack.ingestUrl()),
              stack.apiKey(),
              dir.resolve("replay.json"),
              Clock.systemUTC())
          .run(0, true, 0, (sent, total, t) -> {});
      String api = stack.apiUrl() + "/api/v1";
      apiKey = stack.apiKey();

      Map<String, Map<Instant, Long>> direct =
          sessionize(
              DemoTopics.readAll(
                  stack,
                  TopicNames.ACCESS_LOGS_ENRICHED,
                  r -> (AccessLogEvent) r,
                  10_000,
                  Duration.ofMinutes(3)));
      assertThat(direct.get("visits")).isNotEmpty();
      Instant from = direct.get("visits").keySet().iterator().next().truncatedTo(ChronoUnit.DAYS);
      Instant to = Instant.parse("2015-05-22T00:00:00Z");

      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> converged(api, direct, from, to));
      for (String metric : METRICS) {
        assertThat(series(api, metric, from, to)).as(metric).isEqualTo(direct.get(metric));
      }
    }
  }

  /** True once every metric equals the direct one per hour; fails at once if one exceeds it. */
  private boolean converged(
      String api, Map<String, Map<Instant, Long>> direct, Instant from, Instant to)
      throws Exception {
    boolean equal = true;
    for (String metric : METRICS) {
      Map<Instant, Long> merged = series(api, metric, from, to);
      Map<Instant, Long> expected = direct.get(metric);
      merged.forEach(
          (hour, n) ->
              assertThat(n)
                  .as("%s in %s", metric, hour)
                  .isLessThanOrEqualTo(expected.getOrDefault(hour, 0L)));
      equal &= merged.equals(expected);
    }
    return equal;
  }

  private Map<Instant, Long> series(String api, String metric, Instant from, Instant to)
      throws Exception {
    String url =
        api
            + "/views/visits/query?metrics="
            + metric
            + "&granularity=hour&from="
            + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8)
            + "&to="
            + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + apiKey)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + " -> " + response.body()).isEqualTo(200);
    Map<Instant, Long> out = new TreeMap<>();
    for (JsonNode row : json.readTree(response.body()).path("rows")) {
      long v = row.path("metrics").path(metric).asLong();
      if (v != 0) {
        out.merge(Instant.parse(row.path("window_start").asText()), v, Long::sum);
      }
    }
    return out;
  }

  /**
   * Visits, bounces and page views per hour of the visits' start, straight from the enriched
   * events: a page view is a valid GET answered 2xx/3xx to a client not flagged a bot, of a path
   * without an asset extension; a visitor is the client and the user agent; a visit ends after a
   * gap of more than 30 minutes.
   */
  static Map<String, Map<Instant, Long>> sessionize(List<AccessLogEvent> events) {
    Map<String, List<Long>> times = new HashMap<>();
    for (AccessLogEvent e : events) {
      String path = e.getPath();
      if (!e.getRequestValid()
          || e.getIsBot()
          || !"GET".equals(e.getMethod())
          || e.getStatus() < 200
          || e.getStatus() >= 400
          || path == null) {
        continue;
      }
      int dot = path.lastIndexOf('.');
      if (dot > path.lastIndexOf('/')
          && ASSETS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT))) {
        continue;
      }
      times
          .computeIfAbsent(e.getClient() + "\n" + e.getUserAgent(), v -> new ArrayList<>())
          .add(e.getEventTime().toEpochMilli());
    }
    Map<String, Map<Instant, Long>> out = new HashMap<>();
    METRICS.forEach(m -> out.put(m, new TreeMap<>()));
    for (List<Long> visitor : times.values()) {
      visitor.sort(null);
      long start = visitor.get(0);
      long last = start;
      long pages = 0;
      for (long t : visitor) {
        if (t - last > TIMEOUT) {
          count(out, start, pages);
          start = t;
          pages = 0;
        }
        pages++;
        last = t;
      }
      count(out, start, pages);
    }
    return out;
  }

  private static void count(Map<String, Map<Instant, Long>> out, long start, long pages) {
    Instant hour = Instant.ofEpochMilli(start).truncatedTo(ChronoUnit.HOURS);
    out.get("visits").merge(hour, 1L, Long::sum);
    out.get("page_views").merge(hour, pages, Long::sum);
    if (pages == 1) {
      out.get("bounces").merge(hour, 1L, Long::sum);
    }
  }
}
