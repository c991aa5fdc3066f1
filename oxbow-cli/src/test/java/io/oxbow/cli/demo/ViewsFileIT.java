package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view added in a views file, given once as {@code oxbow.views-file}, gets both layers: the
 * stream processor folds it into its speed topic, the batch loader compacts it into a batch view,
 * and the serving API answers it merged at the batch watermark, old requests from the batch part
 * and new ones from the speed part.
 */
class ViewsFileIT {
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final String VIEWS =
      String.join(
          "\n",
          "views:",
          "  - name: status_minutes",
          "    description: Requests and clients per minute by status.",
          "    source: access-logs.enriched",
          "    window: 1m",
          "    dimensions: [status]",
          "    metrics:",
          "      - {name: requests, type: count}",
          "      - {name: clients, type: distinct, field: client}",
          "");

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void shouldAnswerAViewOfTheViewsFileFromTheBatchBeforeTheWatermarkAndTheSpeedAfterIt(
      @TempDir Path dir) throws Exception {
    Path views = dir.resolve("views.yaml");
    Files.writeString(views, VIEWS);
    // every port (8070..9092 plus the offset) below the kernel's ephemeral range (32768 and up),
    // where a client connection's local port could take one first
    int offset = 18000 + ThreadLocalRandom.current().nextInt(0, 20) * 100;
    Map<String, String> settings =
        Map.of(
            "oxbow.views-file", views.toString(),
            // an hour closes 50 minutes after its end: the current hour stays open for the whole
            // test, whenever it runs, so its requests can only come from the speed layer
            "batch.allowed-lateness", "50m",
            "batch.idle-timeout", "5s",
            "batch.compaction-interval", "2s",
            "batch.rotate-interval", "2s",
            "ingest.port", "0",
            "serve.port", "0",
            "stream.http-port", "0",
            "batch.http-port", "0");
    // three hours back lies in a closed hour (batch); now lies after the watermark (speed). The
    // landed file of the old requests may be published after their hour was first compacted; the
    // re-compaction then adds them, so wait for both parts.
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant old = now.minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
    Instant recent = now.truncatedTo(ChronoUnit.MINUTES);
    try (DemoStack stack = DemoStack.start(dir.resolve("data"), offset, List.of(), settings)) {
      post(stack, lines(old, 4, "81.2.69.14"));
      post(stack, lines(recent, 3, "81.2.69.15"));

      Instant from = old.truncatedTo(ChronoUnit.HOURS);
      Instant to = recent.plus(Duration.ofHours(1));
      JsonNode merged =
          await()
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofSeconds(2))
              .until(
                  () -> query(stack, from, to, "minute"),
                  answer ->
                      !answer.path("watermark").isNull()
                          && Instant.parse(answer.path("watermark").asText()).isAfter(old)
                          && requests(answer, old) == 4
                          && requests(answer, recent) == 3);

      Instant watermark = Instant.parse(merged.path("watermark").asText());
      assertThat(watermark).isAfter(old).isBeforeOrEqualTo(recent);
      assertThat(merged.at("/sources/batch/to").asText()).isEqualTo(watermark.toString());
      assertThat(merged.at("/sources/speed/from").asText()).isEqualTo(watermark.toString());
      assertThat(requests(merged, old)).isEqualTo(4);
      assertThat(requests(merged, recent)).isEqualTo(3);
      JsonNode all = query(stack, from, to, "all").path("rows").get(0).path("metrics");
      assertThat(all.path("requests").asLong()).isEqualTo(7);
      assertThat(all.path("clients").path("estimate").asDouble()).isEqualTo(2.0);
      assertThat(dir.resolve("data/lake/views/status_minutes/_manifest.json")).exists();
    }
  }

  private static List<String> lines(Instant at, int count, String client) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(
          client
              + " - - ["
              + CLF.format(at.plusSeconds(i))
              + "] \"GET /p"
              + i
              + " HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\"");
    }
    return lines;
  }

  private void post(DemoStack stack, List<String> lines) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.ingestUrl() + "/v1/logs"))
                .header("Content-Type", "text/plain")
                .header("X-Oxbow-Source", "views-file-it")
                .header("Authorization", "Bearer " + stack.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines) + "\n"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
  }

  private JsonNode query(DemoStack stack, Instant from, Instant to, String granularity)
      throws Exception {
    String url =
        stack.apiUrl()
            + "/api/v1/views/status_minutes/query?metrics=requests,clients&granularity="
            + granularity
            + "&from="
            + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8)
            + "&to="
            + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + stack.apiKey())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + " -> " + response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  /** The requests of the minute starting at {@code minute} (0 when it has no row). */
  private static long requests(JsonNode answer, Instant minute) {
    for (JsonNode row : answer.path("rows")) {
      if (Instant.parse(row.path("window_start").asText()).equals(minute)) {
        return row.path("metrics").path("requests").asLong();
      }
    }
    return 0;
  }
}
