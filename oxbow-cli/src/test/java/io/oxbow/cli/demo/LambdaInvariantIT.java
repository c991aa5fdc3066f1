package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.contracts.TopicNames;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import java.math.BigDecimal;
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
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lambda invariant end to end, with every service in one process: replay the real samples (the
 * elastic log and both crowdsec files) and the orders derived from them; once input stops and the
 * batch layer catches up, the merged answer of every default view, at every granularity, equals a
 * direct computation over the accepted input written here independently; before that, no answer
 * ever exceeds it (nothing is counted twice).
 */
class LambdaInvariantIT {
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", "../.."));
  private static final Pattern LINE =
      Pattern.compile(
          "^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] \"((?:[^\"\\\\]|\\\\.)*)\" (\\d{3}) (\\S+)");
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private String apiKey;

  @Test
  void mergedViewsEqualADirectComputationAndNeverExceedIt(@TempDir Path dir) throws Exception {
    // every port (8070..9092 plus the offset) below the kernel's ephemeral range (32768 and up),
    // where a client connection's local port could take one first
    int offset = 14000 + ThreadLocalRandom.current().nextInt(0, 20) * 100;
    Map<String, String> settings =
        Map.of(
            "batch.allowed-lateness", "1m",
            "batch.idle-timeout", "5s",
            "batch.compaction-interval", "2s",
            // the sample's minutes are out of order by up to an hour: keep every record in the
            // speed view too, so the windows after the watermark are exact as well
            "stream.grace", "3h");
    List<Path> logs =
        List.of(
            ROOT.resolve("samples/access-logs/elastic_apache_logs.log"),
            ROOT.resolve("samples/access-logs/crowdsec_apache2_malformed_requests.log"),
            ROOT.resolve("samples/access-logs/crowdsec_nginx_malformed_requests.log"));
    try (DemoStack stack = DemoStack.start(dir.resolve("data"), offset, geoIp(), settings)) {
      Replayer.of(
              logs,
              URI.create(stack.ingestUrl()),
              stack.apiKey(),
              dir.resolve("replay.json"),
              Clock.systemUTC())
          .run(0, false, 0.35, (sent, total, t) -> {});
      String api = stack.apiUrl() + "/api/v1";
      apiKey = stack.apiKey();

      Direct direct = Direct.of(readLines(stack), readOrders(stack));
      assertThat(direct.requests.values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(10_000 + 11 + 12);
      assertThat(direct.orders).isNotEmpty();
      Instant from = direct.first().truncatedTo(ChronoUnit.DAYS);
      Instant to = direct.last().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));

      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(3))
          .until(() -> converged(api, direct, from, to));

      for (String granularity : List.of("minute", "hour", "day", "all")) {
        assertThat(series(api, "traffic", "requests", granularity, from, to))
            .isEqualTo(direct.bucket(direct.requests, granularity, from));
        assertThat(series(api, "traffic", "bytes", granularity, from, to))
            .isEqualTo(direct.bucket(direct.bytes, granularity, from));
        assertThat(series(api, "errors", "count", granularity, from, to))
            .isEqualTo(direct.bucket(direct.errors, granularity, from));
      }
      for (String granularity : List.of("hour", "day", "all")) {
        assertThat(series(api, "pages", "views", granularity, from, to))
            .isEqualTo(direct.bucket(direct.requests, granularity, from));
        assertThat(series(api, "revenue", "orders", granularity, from, to))
            .isEqualTo(direct.bucket(direct.orders, granularity, from));
        assertThat(decimalSeries(api, "revenue", "revenue", granularity, from, to))
            .isEqualTo(direct.bucketDecimal(direct.revenue, granularity, from));
      }
      JsonNode visitors =
          query(api, "traffic", "visitors", "all", from, to)
              .path("rows")
              .get(0)
              .path("metrics")
              .path("visitors");
      long distinct = direct.clients.size();
      assertThat(visitors.path("lower").asDouble()).isLessThanOrEqualTo(distinct);
      assertThat(visitors.path("upper").asDouble()).isGreaterThanOrEqualTo(distinct);
    }
  }

  /**
   * True once the merged totals equal the direct ones; fails at once if any answer exceeds them.
   */
  private boolean converged(String api, Direct direct, Instant from, Instant to) throws Exception {
    Map<Instant, Long> requests = series(api, "traffic", "requests", "hour", from, to);
    Map<Instant, Long> expected = direct.bucket(direct.requests, "hour", from);
    requests.forEach(
        (hour, n) ->
            assertThat(n)
                .as("requests in %s", hour)
                .isLessThanOrEqualTo(expected.getOrDefault(hour, 0L)));
    Map<Instant, Long> orders = series(api, "revenue", "orders", "hour", from, to);
    Map<Instant, Long> expectedOrders = direct.bucket(direct.orders, "hour", from);
    orders.forEach(
        (hour, n) ->
            assertThat(n)
                .as("orders in %s", hour)
                .isLessThanOrEqualTo(expectedOrders.getOrDefault(hour, 0L)));
    return requests.equals(expected) && orders.equals(expectedOrders);
  }

  private Map<Instant, Long> series(
      String api, String view, String metric, String granularity, Instant from, Instant to)
      throws Exception {
    Map<Instant, Long> out = new TreeMap<>();
    for (JsonNode row : query(api, view, metric, granularity, from, to).path("rows")) {
      long v = row.path("metrics").path(metric).asLong();
      if (v != 0) {
        out.merge(Instant.parse(row.path("window_start").asText()), v, Long::sum);
      }
    }
    return out;
  }

  private Map<Instant, BigDecimal> decimalSeries(
      String api, String view, String metric, String granularity, Instant from, Instant to)
      throws Exception {
    Map<Instant, BigDecimal> out = new TreeMap<>();
    for (JsonNode row : query(api, view, metric, granularity, from, to).path("rows")) {
      BigDecimal v = row.path("metrics").path(metric).decimalValue().stripTrailingZeros();
      if (v.signum() != 0) {
        out.merge(Instant.parse(row.path("window_start").asText()), v, BigDecimal::add);
      }
    }
    return out;
  }

  private JsonNode query(
      String api, String view, String metric, String granularity, Instant from, Instant to)
      throws Exception {
    String url =
        api
            + "/views/"
            + view
            + "/query?metrics="
            + metric
            + "&granularity="
            + granularity
            + "&from="
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
    return json.readTree(response.body());
  }

  private static List<Path> geoIp() {
    return List.of(
        ROOT.resolve("samples/geoip/geo-whois-asn-country-ipv4.csv.gz"),
        ROOT.resolve("samples/geoip/geo-whois-asn-country-ipv6.csv.gz"));
  }

  private static List<String> readLines(DemoStack stack) {
    List<String> lines = new ArrayList<>();
    for (RawLogLine raw :
        DemoTopics.readAll(
            stack,
            TopicNames.ACCESS_LOGS_RAW,
            r -> (RawLogLine) r,
            10_023,
            Duration.ofMinutes(1))) {
      lines.add(new String(raw.getLine().array(), StandardCharsets.ISO_8859_1));
    }
    return lines;
  }

  private static List<Order> readOrders(DemoStack stack) {
    return DemoTopics.readAll(stack, TopicNames.ORDERS, r -> (Order) r, 1, Duration.ofMinutes(1));
  }

  /**
   * The views computed straight from the accepted lines and orders, with a regex of its own (also
   * the expectation of {@link SecuredKafkaPipelineIT}).
   */
  record Direct(
      Map<Instant, Long> requests,
      Map<Instant, Long> bytes,
      Map<Instant, Long> errors,
      Map<Instant, Long> orders,
      Map<Instant, BigDecimal> revenue,
      java.util.Set<String> clients) {

    static Direct of(List<String> lines, List<Order> orderList) {
      Direct d =
          new Direct(
              new TreeMap<>(),
              new TreeMap<>(),
              new TreeMap<>(),
              new TreeMap<>(),
              new TreeMap<>(),
              new java.util.HashSet<>());
      for (String line : lines) {
        Matcher m = LINE.matcher(line);
        assertThat(m.find()).as("a log line: %s", line).isTrue();
        Instant minute =
            OffsetDateTime.parse(m.group(2), CLF).toInstant().truncatedTo(ChronoUnit.MINUTES);
        int status = Integer.parseInt(m.group(4));
        long bytes = m.group(5).equals("-") ? 0 : Long.parseLong(m.group(5));
        d.requests.merge(minute, 1L, Long::sum);
        d.bytes.merge(minute, bytes, Long::sum);
        if (status >= 400) {
          d.errors.merge(minute, 1L, Long::sum);
        }
        d.clients.add(m.group(1));
      }
      for (Order o : orderList) {
        Instant minute = o.getEventTime().truncatedTo(ChronoUnit.MINUTES);
        d.orders.merge(minute, 1L, Long::sum);
        d.revenue.merge(minute, o.getAmount(), BigDecimal::add);
      }
      d.bytes.values().removeIf(v -> v == 0);
      return d;
    }

    Instant first() {
      return ((TreeMap<Instant, Long>) requests).firstKey();
    }

    Instant last() {
      return ((TreeMap<Instant, Long>) requests).lastKey();
    }

    Map<Instant, Long> bucket(Map<Instant, Long> perMinute, String granularity, Instant from) {
      Map<Instant, Long> out = new TreeMap<>();
      perMinute.forEach((t, v) -> out.merge(bucketOf(t, granularity, from), v, Long::sum));
      return out;
    }

    Map<Instant, BigDecimal> bucketDecimal(
        Map<Instant, BigDecimal> perMinute, String granularity, Instant from) {
      Map<Instant, BigDecimal> out = new TreeMap<>();
      perMinute.forEach((t, v) -> out.merge(bucketOf(t, granularity, from), v, BigDecimal::add));
      out.replaceAll((t, v) -> v.stripTrailingZeros());
      return out;
    }

    private static Instant bucketOf(Instant t, String granularity, Instant from) {
      return switch (granularity) {
        case "minute" -> t;
        case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
        case "day" -> t.truncatedTo(ChronoUnit.DAYS);
        default -> from;
      };
    }
  }
}
