package io.oxbow.serving;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.serving.query.QueryLimits;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile queries against a running serving API over HTTP: the reproductions of unbounded work and
 * every limit of docs/serving-api.md. Each answer must be a 4xx JSON error naming the parameter,
 * fast, and the service must stay ready and answer a normal query afterwards.
 */
@ExtendWith(KafkaBackendExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingLimitsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder TRAFFIC = CATALOG.folder("traffic");
  private static final QueryLimits LIMITS =
      new QueryLimits(1_000, 100, 50, Duration.ofSeconds(10), 4, Duration.ZERO, 256, 8);

  @TempDir static Path lake;

  private Pipeline pipeline;
  private ServingApp app;

  @BeforeAll
  void start(KafkaBackend kafka) throws Exception {
    pipeline = new Pipeline(kafka.bootstrapServers(), lake);
    pipeline.createTopics(CATALOG.names());
    // three hours, one request a minute from a new client: 180 stored groups of traffic, more than
    // a query may read
    List<AccessLogEvent> events = new ArrayList<>();
    for (int minute = 0; minute < 180; minute++) {
      events.add(hit(T0.plusSeconds(minute * 60L), "c" + minute, "DE", 200, "/"));
    }
    pipeline.publishSpeed(TRAFFIC, TRAFFIC.fold(events));
    ServeConfig base = pipeline.config();
    ServeConfig config =
        new ServeConfig(
            base.host(),
            base.port(),
            base.bootstrapServers(),
            base.schemaRegistryUrl(),
            base.lake(),
            base.viewsFile(),
            base.speedTopicPrefix(),
            base.dlqTopic(),
            base.streamGroup(),
            base.batchGroup(),
            base.streamMetricsUrl(),
            LIMITS,
            1 << 20,
            1_000,
            1 << 20,
            100,
            base.kafkaSecurity(),
            base.speedMargin(),
            base.maxGroupsPerWindow());
    app = ServingApp.start(config);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/health/ready").statusCode() == 200 && requests() == 60);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return pipeline.get(app.baseUrl(), pathAndQuery);
  }

  /** Requests of the first hour, from a query reading its 60 stored groups. */
  private long requests() throws Exception {
    HttpResponse<String> all =
        get(
            "/api/v1/views/traffic/query?from="
                + T0
                + "&to="
                + T0.plusSeconds(3600)
                + "&granularity=all&metrics=requests");
    return all.statusCode() != 200
        ? -1
        : JSON.readTree(all.body()).at("/rows/0/metrics/requests").asLong(-1);
  }

  /** Asserts the answer to {@code query} is {@code status} JSON naming {@code field}; its time. */
  private long refused(String query, int status, String field, String message) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = get("/api/v1/views/traffic/query?" + query);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.statusCode()).as(query + " -> " + response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.at("/errors/0/field").asText()).as(response.body()).isEqualTo(field);
    assertThat(body.get("error").asText()).as(response.body()).contains(message);
    return millis;
  }

  @Test
  void shouldRefuseTheOverflowingRangesOfTheReportIn100Ms() throws Exception {
    String huge =
        "from=-200000000-01-01T00:00:00Z&to=%2B200000000-01-01T00:00:00Z&granularity=hour";
    String past = "from=2026-11-25T10:00:00Z&to=%2B300000000-01-01T00:00:00Z";
    refused(huge, 400, "from", "outside the accepted instants");

    long fastestHuge = Long.MAX_VALUE;
    long fastestPast = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      fastestHuge = Math.min(fastestHuge, refused(huge, 400, "from", "outside the accepted"));
      fastestPast = Math.min(fastestPast, refused(past, 400, "to", "outside the accepted"));
    }

    assertThat(fastestHuge).isLessThan(100);
    assertThat(fastestPast).isLessThan(100);
    assertStillServing();
  }

  @Test
  void shouldRefuseEveryQueryPastALimitWithA400NamingItsParameter() throws Exception {
    String range = "from=" + T0 + "&to=" + T0.plusSeconds(3 * 3600);
    refused(
        "from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z&granularity=minute",
        400,
        "granularity",
        "the range holds 1440 buckets of minute, more than the maximum 1000");
    refused(range + "&granularity=hour", 400, "to", "more than 100 stored groups");
    refused(
        "from=" + T0 + "&to=" + T0.plusSeconds(7_200) + "&granularity=minute",
        400,
        "limit",
        "the result has more than 50 rows");
    refused(
        range + "&groupBy=" + "country,".repeat(40),
        400,
        "groupBy",
        "a value of 320 characters, more than the maximum 256");
    refused(
        range + "&filter=country:A".repeat(9),
        400,
        "filter",
        "given 9 times, more than the maximum 8");
    refused(range + "&" + "x".repeat(2_000) + "=1", 400, "x".repeat(100) + "...", "unknown");
    refused("from=1969-12-31T23:59:59Z&to=" + T0, 400, "from", "outside the accepted instants");
    refused("from=" + T0 + "&to=%2B1000000001-01-01T00:00:00Z", 400, "to", "not an ISO-8601");
    refused("from=%00%1b%ff&to=" + T0, 400, "from", "not an ISO-8601");
    refused(range + "&limit=99999999999999999999", 400, "limit", "not a whole number");
    refused(range + "&granularity=%ff", 400, "granularity", "not a granularity");
    refused(range + "&from=" + T0, 400, "from", "given 2 times");
    assertStillServing();
  }

  @Test
  void shouldAnswerAQueryWithinTheLimitsInFull() throws Exception {
    HttpResponse<String> limited =
        get(
            "/api/v1/views/traffic/query?from="
                + T0
                + "&to="
                + T0.plusSeconds(3_600)
                + "&granularity=minute&limit=50&metrics=requests");

    assertThat(limited.statusCode()).as(limited.body()).isEqualTo(200);
    assertThat(JSON.readTree(limited.body()).get("rows")).hasSize(50);
  }

  @Test
  void shouldAnswerMalformedEscapesWithA4xxNeverA5xx() throws Exception {
    for (String target :
        List.of(
            "/api/v1/views/traffic/query?from=%zz&to=%",
            "/api/v1/views/traffic/query?from=%C0%80&to=%ED%A0%80",
            "/api/v1/views/traffic/query?%ff%fe=1",
            "/api/v1/dlq?limit=%00")) {
      assertThat(raw(target))
          .as(target)
          .startsWith("HTTP/1.1 400 ")
          .contains("{\"error\":")
          .contains("\"field\":\"");
    }
    // refused by the HTTP server before any route: a 400 all the same
    assertThat(raw("/api/v1/views/%ff/query?from=x")).startsWith("HTTP/1.1 400 ");
    assertStillServing();
  }

  /** The status line and body of a GET of {@code target}, sent as it is. */
  private String raw(String target) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int body = answer.indexOf("\r\n\r\n");
      return answer.substring(0, answer.indexOf("\r\n")) + " " + answer.substring(body + 4);
    }
  }

  private void assertStillServing() throws Exception {
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(requests()).isEqualTo(60);
  }
}
