package io.oxbow.serving.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts of records the stream processor dropped on purpose (internal traffic, too late for the
 * speed layer, ...), read from its Prometheus endpoint: every sample of a metric whose name starts
 * with {@code oxbow_stream_dropped}, summed by its {@code reason} label (the metric name's rest
 * when it has none).
 */
public final class DroppedCounts {
  private static final Pattern SAMPLE =
      Pattern.compile("^(oxbow_stream_dropped[a-z_]*?)(?:_total)?(\\{[^}]*\\})?\\s+([0-9.eE+-]+)");
  private static final Pattern REASON = Pattern.compile("reason=\"([^\"]*)\"");

  private final URI metricsUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** Reads from {@code metricsUrl} (e.g. {@code http://127.0.0.1:8071/metrics}). */
  public DroppedCounts(URI metricsUrl) {
    this.metricsUrl = metricsUrl;
  }

  /**
   * The counts by reason.
   *
   * @throws IOException when the endpoint does not answer 200
   */
  public Map<String, Long> read() throws IOException {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(metricsUrl).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(metricsUrl + " answered " + response.statusCode());
    }
    return parse(response.body());
  }

  /** The counts by reason in a Prometheus text exposition. */
  static Map<String, Long> parse(String exposition) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.find()) {
        continue;
      }
      String reason = null;
      if (m.group(2) != null) {
        Matcher r = REASON.matcher(m.group(2));
        reason = r.find() ? r.group(1) : null;
      }
      if (reason == null) {
        reason = m.group(1).replaceFirst("^oxbow_stream_dropped_?", "");
      }
      counts.merge(
          reason.isEmpty() ? "dropped" : reason, (long) Double.parseDouble(m.group(3)), Long::sum);
    }
    return counts;
  }
}
