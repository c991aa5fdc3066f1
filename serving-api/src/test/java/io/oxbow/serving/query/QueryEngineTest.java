package io.oxbow.serving.query;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryEngineTest {
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder TRAFFIC = CATALOG.folder("traffic");
  private static final ViewFolder PAGES = CATALOG.folder("pages");
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private final InMemoryLayer batch = new InMemoryLayer();
  private final InMemoryLayer speed = new InMemoryLayer();
  private final QueryEngine engine =
      new QueryEngine(CATALOG, batch, speed, QueryLimits.of(2_000, 50));

  private static Instant at(int minute, int second) {
    return T0.plusSeconds(minute * 60L + second);
  }

  private QueryResult query(String view, String... params) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      map.computeIfAbsent(params[i], k -> new ArrayList<>()).add(params[i + 1]);
    }
    return engine.query(view, map);
  }

  private static Object metric(QueryResult.Row row, String name) {
    return row.metrics().get(name);
  }

  @SuppressWarnings("unchecked")
  private static double estimate(Object distinct) {
    return ((Number) ((Map<String, Object>) distinct).get("estimate")).doubleValue();
  }

  @Test
  void shouldTakeWindowsBeforeTheWatermarkFromBatchAndTheRestFromSpeed() {
    // batch holds a late event at 10:02 the speed layer never saw; speed holds an event at 10:03
    // the batch layer corrected away, and the only copy of 10:07
    List<AccessLogEvent> common = List.of(hit(at(1, 0), "a", "DE", 200, "/"));
    batch.fold(TRAFFIC, common).fold(TRAFFIC, List.of(hit(at(2, 5), "b", "DE", 200, "/")));
    speed.fold(TRAFFIC, common).fold(TRAFFIC, List.of(hit(at(3, 0), "c", "DE", 200, "/")));
    speed.fold(TRAFFIC, List.of(hit(at(7, 0), "d", "DE", 200, "/")));
    batch.watermark("traffic", at(5, 0).toEpochMilli());

    QueryResult result =
        query(
            "traffic",
            "from",
            at(0, 0).toString(),
            "to",
            at(10, 0).toString(),
            "metrics",
            "requests");

    assertThat(result.rows())
        .extracting(QueryResult.Row::windowStart)
        .containsExactly(at(1, 0).toString(), at(2, 0).toString(), at(7, 0).toString());
    assertThat(result.rows())
        .allSatisfy(r -> assertThat(metric(r, "requests")).isEqualTo(BigDecimal.ONE));
    assertThat(result.watermark()).isEqualTo(at(5, 0).toString());
    assertThat(result.sources().batch())
        .isEqualTo(new QueryResult.Range(at(0, 0).toString(), at(5, 0).toString()));
    assertThat(result.sources().speed())
        .isEqualTo(new QueryResult.Range(at(5, 0).toString(), at(10, 0).toString()));
  }

  @Test
  void shouldUnionVisitorSketchesAcrossTheSeamInsteadOfAddingThem() {
    List<AccessLogEvent> events =
        List.of(
            hit(at(1, 0), "a", "DE", 200, "/"),
            hit(at(2, 0), "b", "DE", 200, "/"),
            hit(at(7, 0), "a", "DE", 200, "/"),
            hit(at(8, 0), "b", "DE", 200, "/"),
            hit(at(9, 0), "c", "DE", 200, "/"));
    batch.fold(TRAFFIC, events).watermark("traffic", at(5, 0).toEpochMilli());
    speed.fold(TRAFFIC, events);

    QueryResult all =
        query(
            "traffic",
            "from",
            at(0, 0).toString(),
            "to",
            at(10, 0).toString(),
            "granularity",
            "all");
    QueryResult hour =
        query(
            "traffic",
            "from",
            at(0, 0).toString(),
            "to",
            at(10, 0).toString(),
            "granularity",
            "hour");

    for (QueryResult result : List.of(all, hour)) {
      assertThat(result.rows()).hasSize(1);
      QueryResult.Row row = result.rows().get(0);
      assertThat(row.windowStart()).isEqualTo(T0.toString());
      assertThat(metric(row, "requests")).isEqualTo(BigDecimal.valueOf(5));
      assertThat(estimate(metric(row, "visitors"))).isEqualTo(3.0);
    }
  }

  @Test
  void shouldAnswerEverythingFromSpeedWithoutAWatermark() {
    speed.fold(TRAFFIC, List.of(hit(at(1, 0), "a", "DE", 200, "/")));
    batch.fold(TRAFFIC, List.of(hit(at(1, 0), "a", "DE", 200, "/")));

    QueryResult result = query("traffic", "from", at(0, 0).toString(), "to", at(10, 0).toString());

    assertThat(result.watermark()).isNull();
    assertThat(result.sources().batch()).isNull();
    assertThat(result.rows())
        .singleElement()
        .satisfies(r -> assertThat(metric(r, "requests")).isEqualTo(BigDecimal.ONE));
  }

  @Test
  void shouldFloorAWatermarkInsideAWindowToTheWindowStart() {
    // pages has one-hour windows: a watermark at 10:30 leaves the 10:00 window to the speed view
    batch.fold(PAGES, List.of(hit(at(10, 0), "a", "DE", 200, "/x")));
    speed.fold(
        PAGES, List.of(hit(at(10, 0), "a", "DE", 200, "/x"), hit(at(40, 0), "b", "DE", 200, "/x")));
    batch.watermark("pages", at(30, 0).toEpochMilli());

    QueryResult result =
        query("pages", "from", T0.toString(), "to", T0.plusSeconds(3600).toString());

    assertThat(result.sources().batch()).isNull();
    assertThat(result.rows())
        .singleElement()
        .satisfies(r -> assertThat(metric(r, "views")).isEqualTo(BigDecimal.valueOf(2)));
  }

  @Test
  void shouldGroupFilterOrderAndLimit() {
    speed.fold(
        TRAFFIC,
        List.of(
            hit(at(1, 0), "a", "DE", 200, "/"),
            hit(at(1, 1), "b", "US", 200, "/"),
            hit(at(1, 2), "c", "US", 404, "/"),
            hit(at(2, 0), "d", "US", 200, "/"),
            hit(at(2, 1), "e", "FR", 200, "/")));

    QueryResult result =
        query(
            "traffic",
            "from",
            at(0, 0).toString(),
            "to",
            at(10, 0).toString(),
            "granularity",
            "all",
            "groupBy",
            "country",
            "metrics",
            "requests,visitors",
            "filter",
            "status_class:2xx",
            "orderBy",
            "-requests,country",
            "limit",
            "2");

    assertThat(result.rows()).hasSize(2);
    assertThat(result.rows().get(0).dims()).containsExactly(Map.entry("country", "US"));
    assertThat(metric(result.rows().get(0), "requests")).isEqualTo(BigDecimal.valueOf(2));
    assertThat(result.rows().get(1).dims()).containsExactly(Map.entry("country", "DE"));
    assertThat(result.rows().get(0).metrics()).containsOnlyKeys("requests", "visitors");
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldReadSketchesOutWithEstimateAndBounds() {
    speed.fold(
        TRAFFIC, List.of(hit(at(1, 0), "a", "DE", 200, "/"), hit(at(1, 1), "b", "DE", 200, "/")));

    QueryResult.Row row =
        query("traffic", "from", at(0, 0).toString(), "to", at(10, 0).toString()).rows().get(0);

    assertThat((Map<String, Object>) metric(row, "visitors"))
        .containsOnlyKeys("estimate", "lower", "upper");
    assertThat((Map<String, Object>) metric(row, "bytes_quantiles"))
        .containsKeys("n", "p50", "p90", "p95", "p99");
    assertThat((Map<String, Object>) metric(row, "top_paths")).containsKeys("items", "n");
    assertThat(metric(row, "bytes")).isEqualTo(BigDecimal.valueOf(600));
  }

  @Test
  void shouldNameTheParameterOfEveryBadQuery() {
    String from = at(0, 0).toString();
    String to = at(10, 0).toString();
    assertBad("nope", 404, "unknown view 'nope'", "from", from, "to", to);
    assertBad("traffic", 400, "from: required", "to", to);
    assertBad(
        "traffic", 400, "from: 'yesterday' is not an ISO-8601", "from", "yesterday", "to", to);
    assertBad("traffic", 400, "from: must be before to", "from", to, "to", to);
    assertBad(
        "traffic",
        400,
        "granularity: the range holds 4320 buckets of minute, more than the maximum 2000",
        "from",
        from,
        "to",
        T0.plusSeconds(86_400 * 3).toString());
    assertBad(
        "traffic",
        400,
        "groupBy: 'city' is not a dimension",
        "from",
        from,
        "to",
        to,
        "groupBy",
        "city");
    assertBad(
        "traffic",
        400,
        "metrics: 'clicks' is not a metric",
        "from",
        from,
        "to",
        to,
        "metrics",
        "clicks");
    assertBad(
        "pages",
        400,
        "granularity: 'minute' is finer",
        "from",
        from,
        "to",
        to,
        "granularity",
        "minute");
    assertBad(
        "traffic",
        400,
        "granularity: 'fortnight' is not a granularity",
        "from",
        from,
        "to",
        to,
        "granularity",
        "fortnight");
    assertBad(
        "traffic",
        400,
        "filter: 'city' is not a dimension",
        "from",
        from,
        "to",
        to,
        "filter",
        "city:Berlin");
    assertBad(
        "traffic", 400, "filter: 'DE' is not dim:value", "from", from, "to", to, "filter", "DE");
    assertBad(
        "traffic",
        400,
        "orderBy: metric 'bytes_quantiles' is of type quantiles",
        "from",
        from,
        "to",
        to,
        "orderBy",
        "bytes_quantiles");
    assertBad(
        "traffic",
        400,
        "orderBy: 'country' is neither",
        "from",
        from,
        "to",
        to,
        "orderBy",
        "country");
    assertBad(
        "traffic",
        400,
        "limit: '0' is not a whole number within 1..50",
        "from",
        from,
        "to",
        to,
        "limit",
        "0");
    assertBad(
        "traffic", 400, "groupby: unknown parameter", "from", from, "to", to, "groupby", "country");
  }

  @Test
  void shouldRefuseAResultLargerThanTheMaximumUnlessLimited() {
    List<AccessLogEvent> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      events.add(hit(at(i, 0), "c" + i, "DE", 200, "/"));
    }
    speed.fold(TRAFFIC, events);
    String from = T0.toString();
    String to = at(60, 0).toString();

    assertBad("traffic", 400, "limit: the result has more than 50 rows", "from", from, "to", to);
    assertThat(query("traffic", "from", from, "to", to, "limit", "50").rows()).hasSize(50);
  }

  private void assertBad(String view, int status, String message, String... params) {
    assertThatThrownBy(() -> query(view, params))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.status()).isEqualTo(status))
        .hasMessageStartingWith(message);
  }
}
