package io.oxbow.serving.query;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code week} and {@code month} answers: each bucket holds exactly the days of its period, across
 * the seam between the batch and speed layers.
 */
class CalendarQueryTest {
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder TRAFFIC = CATALOG.folder("traffic");
  private static final Instant FROM = Instant.parse("2024-01-17T00:00:00Z");
  private static final Instant TO = Instant.parse("2024-04-10T00:00:00Z");
  private static final List<String> EXACT = List.of("requests", "bytes");

  private final InMemoryLayer batch = new InMemoryLayer();
  private final InMemoryLayer speed = new InMemoryLayer();
  private final QueryEngine engine =
      new QueryEngine(CATALOG, batch, speed, QueryLimits.of(10_000, 10_000));

  /** Hits every 7 hours over the range (and a day either side); batch up to the 20th of March. */
  private void seed() {
    Instant watermark = Instant.parse("2024-03-20T13:00:00Z");
    List<AccessLogEvent> before = new ArrayList<>();
    List<AccessLogEvent> after = new ArrayList<>();
    int i = 0;
    for (Instant t = FROM.minusSeconds(86_400); t.isBefore(TO.plusSeconds(86_400)); ) {
      String country = i % 3 == 0 ? "US" : "DE";
      AccessLogEvent event = hit(t, "c" + i, country, i % 5 == 0 ? 503 : 200, "/p" + i % 4);
      (t.isBefore(watermark) ? before : after).add(event);
      t = t.plusSeconds(7 * 3_600 + 60L * (i % 13));
      i++;
    }
    batch.fold(TRAFFIC, before).watermark("traffic", watermark.toEpochMilli());
    speed.fold(TRAFFIC, before).fold(TRAFFIC, after);
  }

  private QueryResult query(String granularity) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    params.put("from", List.of(FROM.toString()));
    params.put("to", List.of(TO.toString()));
    params.put("granularity", List.of(granularity));
    params.put("groupBy", List.of("country"));
    params.put("metrics", List.of(String.join(",", EXACT)));
    return engine.query("traffic", params);
  }

  /** Day rows summed into the bucket of {@code granularity} holding each day, per country. */
  private Map<String, BigDecimal> sumOfDays(Granularity granularity) {
    Map<String, BigDecimal> sums = new HashMap<>();
    for (QueryResult.Row row : query("day").rows()) {
      long start = granularity.bucketStart(Instant.parse(row.windowStart()).toEpochMilli());
      for (String metric : EXACT) {
        String key = Instant.ofEpochMilli(start) + " " + row.dims().get("country") + " " + metric;
        sums.merge(key, (BigDecimal) row.metrics().get(metric), BigDecimal::add);
      }
    }
    return sums;
  }

  private static Map<String, BigDecimal> flatten(QueryResult result) {
    Map<String, BigDecimal> flat = new HashMap<>();
    for (QueryResult.Row row : result.rows()) {
      for (String metric : EXACT) {
        String key = row.windowStart() + " " + row.dims().get("country") + " " + metric;
        assertThat(flat.put(key, (BigDecimal) row.metrics().get(metric))).as(key).isNull();
      }
    }
    return flat;
  }

  @Test
  void shouldMakeEachMonthTheSumOfItsDays() {
    seed();

    QueryResult months = query("month");

    assertThat(months.rows())
        .extracting(QueryResult.Row::windowStart)
        .containsOnly(
            "2024-01-01T00:00:00Z",
            "2024-02-01T00:00:00Z",
            "2024-03-01T00:00:00Z",
            "2024-04-01T00:00:00Z");
    assertThat(months.rows()).hasSize(8);
    assertThat(flatten(months)).isEqualTo(sumOfDays(Granularity.MONTH));
  }

  @Test
  void shouldMakeEachWeekTheSumOfItsDaysLabelledByItsMonday() {
    seed();

    QueryResult weeks = query("week");

    // 2024-01-17 is a Wednesday: the first bucket is labelled by the Monday before
    assertThat(weeks.rows().get(0).windowStart()).isEqualTo("2024-01-15T00:00:00Z");
    assertThat(weeks.rows())
        .extracting(QueryResult.Row::windowStart)
        .allSatisfy(
            start ->
                assertThat(Instant.parse(start).atZone(java.time.ZoneOffset.UTC).getDayOfWeek())
                    .isEqualTo(java.time.DayOfWeek.MONDAY));
    assertThat(flatten(weeks)).isEqualTo(sumOfDays(Granularity.WEEK));
  }
}
