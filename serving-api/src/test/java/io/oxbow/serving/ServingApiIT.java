package io.oxbow.serving;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.deadletter.DeadLetterReason;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBackendExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant YEAR = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant WATERMARK = T0.plusSeconds(5 * 60);
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder TRAFFIC = CATALOG.folder("traffic");
  private static final ViewFolder PAGES = CATALOG.folder("pages");

  @TempDir static Path lake;

  private Pipeline pipeline;
  private ServingApp app;
  private final List<AccessLogEvent> events = new ArrayList<>();

  @BeforeAll
  void seed(KafkaBackend kafka) throws Exception {
    pipeline = new Pipeline(kafka.bootstrapServers(), lake);
    pipeline.createTopics(CATALOG.names());
    // 10 minutes of traffic; clients c0..c5 come back on both sides of the watermark (10:05)
    for (int minute = 0; minute < 10; minute++) {
      for (int i = 0; i < 6; i++) {
        String client = "c" + ((minute + i) % 9);
        int status = i == 5 ? 503 : 200;
        events.add(
            hit(T0.plusSeconds(minute * 60L + i), client, i % 2 == 0 ? "DE" : "US", status, "/p"));
      }
    }
    // both layers hold every window: the merge must still count each window once
    pipeline.publishSpeed(TRAFFIC, TRAFFIC.fold(events));
    pipeline.publishSpeed(PAGES, PAGES.fold(events));
    pipeline.publishBatch(TRAFFIC, TRAFFIC.fold(events), WATERMARK);
    pipeline.deadLetter(
        "bad line \u0000\u001b[31m <script>x</script>".getBytes(), DeadLetterReason.TRUNCATED);
    pipeline.deadLetter(new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}, DeadLetterReason.NOT_UTF8);
    pipeline.commitOffset(pipeline.config().streamGroup(), pipeline.dlqTopic(), 0);
    app = startReady();
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private ServingApp startReady() {
    ServingApp started = ServingApp.start(pipeline.config());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pipeline.get(started.baseUrl(), "/health/ready").statusCode() == 200);
    return started;
  }

  private HttpResponse<String> query(ServingApp on, String view, String params) throws Exception {
    return pipeline.get(on.baseUrl(), "/api/v1/views/" + view + "/query?" + params);
  }

  private JsonNode ok(ServingApp on, String view, String params) throws Exception {
    HttpResponse<String> response = query(on, view, params);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static String range(Instant from, Instant to) {
    return "from=" + from + "&to=" + to;
  }

  @Test
  void shouldCountEveryWindowOnceAndUnionVisitorsAcrossTheSeam() throws Exception {
    JsonNode all = ok(app, "traffic", range(T0, T0.plusSeconds(600)) + "&granularity=all");

    Set<String> clients = new HashSet<>();
    events.forEach(e -> clients.add(e.getClient()));
    Set<String> before = new HashSet<>();
    Set<String> after = new HashSet<>();
    events.forEach(e -> (e.getEventTime().isBefore(WATERMARK) ? before : after).add(e.getClient()));
    JsonNode row = all.get("rows").get(0);
    assertThat(row.at("/metrics/requests").asLong()).isEqualTo(events.size());
    assertThat(row.at("/metrics/visitors/estimate").asDouble()).isEqualTo(clients.size());
    assertThat(before.size() + after.size()).isGreaterThan(clients.size());
    assertThat(all.get("watermark").asText()).isEqualTo(WATERMARK.toString());
    assertThat(all.at("/sources/batch/to").asText()).isEqualTo(WATERMARK.toString());
    assertThat(all.at("/sources/speed/from").asText()).isEqualTo(WATERMARK.toString());

    JsonNode minutes = ok(app, "traffic", range(T0, T0.plusSeconds(600)) + "&metrics=requests");
    assertThat(minutes.get("rows")).hasSize(10);
    minutes.get("rows").forEach(r -> assertThat(r.at("/metrics/requests").asLong()).isEqualTo(6));
  }

  @Test
  void shouldAnswerFromSpeedAloneWhereTheBatchHasNoManifest() throws Exception {
    JsonNode pages = ok(app, "pages", range(T0, T0.plusSeconds(3600)) + "&groupBy=path");

    assertThat(pages.get("watermark").isNull()).isTrue();
    assertThat(pages.at("/sources/batch").isNull()).isTrue();
    assertThat(pages.at("/rows/0/dims/path").asText()).isEqualTo("/p");
    assertThat(pages.at("/rows/0/metrics/views").asLong()).isEqualTo(events.size());
  }

  @Test
  void shouldBeReadyAndAnswerBeforeAnyTopicOrBatchViewExists() throws Exception {
    Pipeline empty = new Pipeline(pipeline.bootstrap, lake.resolve("empty"));
    try (ServingApp fresh = ServingApp.start(empty.config())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> empty.get(fresh.baseUrl(), "/health/ready").statusCode() == 200);

      JsonNode answer = ok(fresh, "traffic", range(T0, T0.plusSeconds(600)));

      assertThat(answer.get("rows")).isEmpty();
      assertThat(answer.get("watermark").isNull()).isTrue();
      assertThat(
              JSON.readTree(empty.get(fresh.baseUrl(), "/api/v1/dlq").body()).get("total").asLong())
          .isZero();
    }
  }

  @Test
  void shouldKeepTheLatestAggregateOfAGroupAndDropItOnATombstone() throws Exception {
    Pipeline changelog = new Pipeline(pipeline.bootstrap, lake.resolve("changelog"));
    changelog.createTopics(CATALOG.names());
    Instant minute = T0.plusSeconds(120);
    List<AccessLogEvent> first = List.of(hit(minute, "a", "DE", 200, "/"));
    List<AccessLogEvent> more =
        List.of(
            hit(minute, "a", "DE", 200, "/"),
            hit(minute.plusSeconds(1), "b", "DE", 200, "/"),
            hit(minute.plusSeconds(2), "c", "DE", 200, "/"));
    changelog.publishSpeed(TRAFFIC, TRAFFIC.fold(first));
    changelog.publishSpeed(TRAFFIC, TRAFFIC.fold(more));
    String params = range(T0, T0.plusSeconds(600)) + "&granularity=all&metrics=requests";
    try (ServingApp fresh = ServingApp.start(changelog.config())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> changelog.get(fresh.baseUrl(), "/health/ready").statusCode() == 200);
      assertThat(ok(fresh, "traffic", params).at("/rows/0/metrics/requests").asLong()).isEqualTo(3);

      changelog.tombstone(TRAFFIC, TRAFFIC.fold(more).keySet().iterator().next());

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ok(fresh, "traffic", params).get("rows").isEmpty());
    }
  }

  @Test
  void shouldAnswerANewBatchPublicationInTheVeryNextQuery() throws Exception {
    Pipeline moving = new Pipeline(pipeline.bootstrap, lake.resolve("moving"));
    moving.createTopics(CATALOG.names());
    moving.publishSpeed(TRAFFIC, TRAFFIC.fold(events));
    moving.publishBatch(TRAFFIC, TRAFFIC.fold(events), WATERMARK);
    String hourly = range(T0, T0.plusSeconds(3600)) + "&granularity=hour&metrics=requests,visitors";
    try (ServingApp fresh = ServingApp.start(moving.config())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> moving.get(fresh.baseUrl(), "/health/ready").statusCode() == 200);
      JsonNode first = ok(fresh, "traffic", hourly);
      assertThat(ok(fresh, "traffic", hourly)).isEqualTo(first);
      assertThat(first.at("/rows/0/metrics/requests").asLong()).isEqualTo(events.size());

      // the next publication: W moves to 10:08 and a late request of a new client at 10:01
      List<AccessLogEvent> withLate = new ArrayList<>(events);
      withLate.add(hit(T0.plusSeconds(61), "late", "DE", 200, "/p"));
      Instant next = T0.plusSeconds(8 * 60);
      moving.publishBatch(TRAFFIC, TRAFFIC.fold(withLate), next);
      JsonNode after = ok(fresh, "traffic", hourly);

      assertThat(after.get("watermark").asText()).isEqualTo(next.toString());
      assertThat(after.at("/rows/0/metrics/requests").asLong()).isEqualTo(events.size() + 1);
      assertThat(after.at("/rows/0/metrics/visitors/estimate").asDouble())
          .isEqualTo(first.at("/rows/0/metrics/visitors/estimate").asDouble() + 1);
    }
  }

  @Test
  void shouldGiveTheSameAnswersAfterARestartAndFromASecondInstance() throws Exception {
    List<String> asked =
        List.of(
            range(T0, T0.plusSeconds(600)) + "&granularity=all&groupBy=country",
            range(T0, T0.plusSeconds(600)) + "&groupBy=status_class&orderBy=-requests",
            range(T0.plusSeconds(180), T0.plusSeconds(420)) + "&granularity=5m");
    List<String> first = new ArrayList<>();
    for (String q : asked) {
      first.add(ok(app, "traffic", q).toString());
    }
    try (ServingApp second = startReady()) {
      for (int i = 0; i < asked.size(); i++) {
        assertThat(ok(second, "traffic", asked.get(i)).toString()).isEqualTo(first.get(i));
      }
    }
    app.close();
    app = startReady();
    for (int i = 0; i < asked.size(); i++) {
      assertThat(ok(app, "traffic", asked.get(i)).toString()).isEqualTo(first.get(i));
    }
  }

  @Test
  void shouldAnswerAYearByDayOnceTheLimitCountsTheAnswersBuckets() throws Exception {
    JsonNode answer =
        ok(
            app,
            "traffic",
            range(YEAR, YEAR.plusSeconds(365 * 86_400L)) + "&granularity=day&metrics=requests");

    assertThat(answer.get("rows")).hasSize(1);
    assertThat(answer.at("/rows/0/window_start").asText()).isEqualTo("2026-11-25T00:00:00Z");
    assertThat(answer.at("/rows/0/metrics/requests").asLong()).isEqualTo(events.size());
  }

  @Test
  void shouldAnswerEveryBadQueryWithItsStatusAndTheParameter() throws Exception {
    String ok = range(T0, T0.plusSeconds(600));
    assertError("nope", ok, 404, "unknown view 'nope'");
    assertError("traffic", "to=" + T0, 400, "from: required");
    assertError("traffic", "from=noon&to=" + T0, 400, "from: 'noon' is not an ISO-8601");
    assertError("traffic", range(T0, T0), 400, "from: must be before to");
    assertError(
        "traffic",
        range(YEAR, YEAR.plusSeconds(365 * 86_400L)),
        400,
        "granularity: the range holds 525600 buckets of minute, more than the maximum 2000"
            + " (serve.max-query-buckets); use granularity=day or coarser");
    assertError("traffic", ok + "&groupBy=city", 400, "groupBy: 'city' is not a dimension");
    assertError("traffic", ok + "&metrics=clicks", 400, "metrics: 'clicks' is not a metric");
    assertError("pages", ok + "&granularity=minute", 400, "granularity: 'minute' is finer");
    assertError("traffic", ok + "&filter=" + enc("city:x"), 400, "filter: 'city' is not a dim");
    assertError("traffic", ok + "&orderBy=nope", 400, "orderBy: 'nope' is neither");
    assertError("traffic", ok + "&limit=x", 400, "limit: 'x' is not a whole number");
    assertError(
        "traffic",
        range(T0, T0.plusSeconds(600)) + "&groupBy=country,status_class,is_bot&granularity=1m",
        200,
        null);
    HttpResponse<String> tooMany = pipeline.get(app.baseUrl(), "/api/v1/dlq?limit=0");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(tooMany.body()).get("error").asText()).startsWith("limit:");
  }

  @Test
  void shouldShowDeadLettersSafelyAndCountThemInTheStatus() throws Exception {
    JsonNode dlq = JSON.readTree(pipeline.get(app.baseUrl(), "/api/v1/dlq?limit=5").body());
    assertThat(dlq.get("total").asLong()).isEqualTo(2);
    assertThat(dlq.at("/records/0/reason").asText()).isEqualTo("NOT_UTF8");
    assertThat(dlq.at("/records/0/raw").asText()).isEqualTo("\uFFFD\uFFFDx");
    assertThat(dlq.at("/records/1/raw").asText())
        .isEqualTo("bad line \\x00\\x1B[31m <script>x</script>");
    assertThat(dlq.at("/records/1/stage").asText()).isEqualTo("parse");

    JsonNode status = JSON.readTree(pipeline.get(app.baseUrl(), "/api/v1/status").body());
    assertThat(status.at("/dlq/by_reason/TRUNCATED").asLong()).isEqualTo(1);
    assertThat(status.at("/views/traffic/watermark").asText()).isEqualTo(WATERMARK.toString());
    assertThat(status.at("/views/traffic/speed_newest").asText())
        .isEqualTo(T0.plusSeconds(600).toString());
    assertThat(status.at("/lag/stream_processor/records").asLong()).isEqualTo(2);
    assertThat(status.at("/lag/stream_processor/seconds").isNumber()).isTrue();
    assertThat(status.at("/lag/stream_processor/seconds").asDouble()).isNotNegative();
    assertThat(status.at("/lag/batch_loader/error").asText()).contains("no offsets");
    assertThat(status.at("/serving/speed_caught_up").asBoolean()).isTrue();
  }

  @Test
  void shouldListTheViewsAndServeTheOpenApiDocumentAndPages() throws Exception {
    JsonNode views = JSON.readTree(pipeline.get(app.baseUrl(), "/api/v1/views").body());
    assertThat(views.at("/views/0/name").asText()).isEqualTo("traffic");
    assertThat(views.at("/views/0/dimensions").toString())
        .isEqualTo("[\"country\",\"status_class\",\"is_bot\"]");
    JsonNode doc = JSON.readTree(pipeline.get(app.baseUrl(), "/api/v1/openapi.json").body());
    assertThat(doc.at("/paths").has("/api/v1/views/{view}/query")).isTrue();
    assertThat(pipeline.get(app.baseUrl(), "/api/v1/docs").body()).contains("openapi.json");
    assertThat(pipeline.get(app.baseUrl(), "/").body()).contains("chart-traffic");
    assertThat(
            pipeline.get(app.baseUrl(), "/webjars/chart.js/4.4.1/dist/chart.umd.js").statusCode())
        .isEqualTo(200);
  }

  private void assertError(String view, String params, int status, String message)
      throws Exception {
    HttpResponse<String> response = query(app, view, params);
    assertThat(response.statusCode()).as(params).isEqualTo(status);
    if (message != null) {
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.get("error").asText()).startsWith(message);
      assertThat(body.get("status").asInt()).isEqualTo(status);
    }
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
