package io.oxbow.bench.freshness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.cli.demo.DemoStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Freshness of the whole pipeline: from the ingest app's 200 for one log line to that line being
 * counted in a {@code traffic} query of the serving API, with every service running in one process
 * (the demo's stack, no geo-IP data). Reports p50/p99 over N lines, and as the baseline measured in
 * the same run the ingest round trip itself (request to 200).
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar io.oxbow.bench.freshness.FreshnessMain [lines=50]
 * </pre>
 */
public final class FreshnessMain {
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private FreshnessMain() {}

  /** Runs the measurement; the optional argument is the number of lines. */
  public static void main(String[] args) throws Exception {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path dir = Files.createTempDirectory("oxbow-freshness-");
    try (DemoStack stack = DemoStack.start(dir, 40000, List.of(), Map.of())) {
      new FreshnessMain().measure(stack, lines);
    }
    System.exit(0);
  }

  private void measure(DemoStack stack, int lines) throws Exception {
    String api = stack.apiUrl() + "/api/v1";
    List<Double> ackMillis = new ArrayList<>();
    List<Double> freshMillis = new ArrayList<>();
    for (int i = -3; i < lines; i++) { // three warm-up lines
      Instant now = Instant.now();
      Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
      long before = requests(api, stack.apiKey(), minute);
      String line =
          "198.51.100."
              + (1 + Math.floorMod(i, 250))
              + " - - ["
              + CLF.format(now)
              + "] \"GET /freshness/"
              + i
              + " HTTP/1.1\" 200 512 \"-\" \"bench\"";
      long start = System.nanoTime();
      post(stack, line);
      long acked = System.nanoTime();
      while (requests(api, stack.apiKey(), minute) <= before) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      long visible = System.nanoTime();
      if (i >= 0) {
        ackMillis.add((acked - start) / 1e6);
        freshMillis.add((visible - acked) / 1e6);
      }
    }
    System.out.printf(
        "freshness (200 -> visible in a query): p50 %.0f ms, p99 %.0f ms over %d lines%n",
        pct(freshMillis, 50), pct(freshMillis, 99), lines);
    System.out.printf(
        "baseline, ingest round trip (request -> 200): p50 %.0f ms, p99 %.0f ms%n",
        pct(ackMillis, 50), pct(ackMillis, 99));
    System.out.printf(
        "ratio freshness/ingest round trip: p50 %.1fx%n",
        pct(freshMillis, 50) / Math.max(0.001, pct(ackMillis, 50)));
  }

  private void post(DemoStack stack, String line) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stack.ingestUrl() + "/v1/logs"))
            .header("Content-Type", "text/plain")
            .header("Authorization", "Bearer " + stack.apiKey())
            .header("X-Oxbow-Source", "freshness")
            .POST(HttpRequest.BodyPublishers.ofString(line + "\n"))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "ingest answered " + response.statusCode() + ": " + response.body());
    }
  }

  private long requests(String api, String apiKey, Instant minute) throws Exception {
    String url =
        api
            + "/views/traffic/query?granularity=minute&metrics=requests&from="
            + URLEncoder.encode(minute.toString(), StandardCharsets.UTF_8)
            + "&to="
            + URLEncoder.encode(
                minute.plus(1, ChronoUnit.MINUTES).toString(), StandardCharsets.UTF_8);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + apiKey)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long total = 0;
    for (JsonNode row : json.readTree(response.body()).path("rows")) {
      total += row.path("metrics").path("requests").asLong();
    }
    return total;
  }

  private static double pct(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
