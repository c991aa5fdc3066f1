package io.oxbow.serving.query;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Every bound of {@link QueryLimits}, checked before the work it bounds is done. */
class QueryLimitsTest {
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder TRAFFIC = CATALOG.folder("traffic");
  private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");
  private static final QueryLimits LIMITS =
      new QueryLimits(100, 50, 20, Duration.ofSeconds(10), 2, Duration.ZERO, 64, 3);

  private final InMemoryLayer batch = new InMemoryLayer();
  private final InMemoryLayer stored = new InMemoryLayer();
  private final AtomicInteger reads = new AtomicInteger();
  private final ViewLayer speed =
      (view, from, to) -> {
        reads.incrementAndGet();
        return stored.read(view, from, to);
      };
  private final AtomicLong nanos = new AtomicLong();

  private QueryEngine engine(QueryLimits limits) {
    return new QueryEngine(CATALOG, batch, speed, limits, 0, 0, nanos::get);
  }

  private static Map<String, List<String>> params(String... pairs) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
    }
    return map;
  }

  private void assertRefused(int status, String parameter, String message, String... pairs) {
    assertThatThrownBy(() -> engine(LIMITS).query("traffic", params(pairs)))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.parameter()).isEqualTo(parameter);
            })
        .hasMessageStartingWith(message);
  }

  /** One request per minute over {@code hours} hours, from a new client each. */
  private void seedHours(int hours) {
    List<AccessLogEvent> events = new ArrayList<>();
    for (int minute = 0; minute < hours * 60; minute++) {
      events.add(hit(T0.plusSeconds(minute * 60L), "c" + minute, "DE", 200, "/"));
    }
    stored.fold(TRAFFIC, events);
  }

  @Test
  void shouldRefuseInstantsOutsideTheAcceptedRangeBeforeAnyArithmetic() {
    assertRefused(
        400,
        "from",
        "from: '-200000000-01-01T00:00:00Z' is outside the accepted instants"
            + " 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z",
        "from",
        "-200000000-01-01T00:00:00Z",
        "to",
        "+200000000-01-01T00:00:00Z",
        "granularity",
        "hour");
    assertRefused(
        400,
        "to",
        "to: '+300000000-01-01T00:00:00Z' is outside the accepted instants",
        "from",
        "2026-11-25T00:00:00Z",
        "to",
        "+300000000-01-01T00:00:00Z");
    assertRefused(
        400,
        "from",
        "from: '1969-12-31T23:59:59Z' is outside",
        "from",
        "1969-12-31T23:59:59Z",
        "to",
        "2026-11-25T00:00:00Z");
    assertRefused(
        400,
        "to",
        "to: '+1000000001-01-01T00:00:00Z' is not an ISO-8601 instant",
        "from",
        "2026-11-25T00:00:00Z",
        "to",
        "+1000000001-01-01T00:00:00Z");
    assertThat(reads).hasValue(0);
  }

  @Test
  void shouldRefuseMoreBucketsThanTheMaximum() {
    assertRefused(
        400,
        "granularity",
        "granularity: the range holds 101 buckets of minute, more than the maximum 100",
        "from",
        T0.toString(),
        "to",
        T0.plusSeconds(101 * 60).toString(),
        "granularity",
        "minute");
    assertThat(
            engine(LIMITS)
                .query(
                    "traffic",
                    params(
                        "from",
                        T0.toString(),
                        "to",
                        T0.plusSeconds(101 * 60).toString(),
                        "granularity",
                        "hour"))
                .rows())
        .isEmpty();
  }

  @Test
  void shouldAnswerAYearByDayAndRefuseItByMinuteNamingTheGranularityThatFits() {
    Instant year = Instant.parse("2025-01-01T00:00:00Z");
    List<AccessLogEvent> events = new ArrayList<>();
    for (int day = 0; day < 365; day++) {
      events.add(hit(year.plusSeconds(day * 86_400L + 3_600), "c" + day, "DE", 200, "/"));
    }
    stored.fold(TRAFFIC, events);
    String to = year.plusSeconds(365 * 86_400L).toString();
    QueryEngine engine = engine(QueryLimits.DEFAULTS);

    QueryResult byDay =
        engine.query(
            "traffic",
            params("from", year.toString(), "to", to, "granularity", "day", "metrics", "requests"));

    assertThat(byDay.rows()).hasSize(365);
    assertThat(byDay.rows())
        .allSatisfy(r -> assertThat(r.metrics().get("requests")).hasToString("1"));
    for (String finer : List.of("minute", "5m")) {
      assertThatThrownBy(
              () ->
                  engine.query(
                      "traffic", params("from", year.toString(), "to", to, "granularity", finer)))
          .isInstanceOfSatisfying(
              QueryException.class, e -> assertThat(e.parameter()).isEqualTo("granularity"))
          .hasMessageContaining("more than the maximum 10000 (serve.max-query-buckets)")
          .hasMessageEndingWith("use granularity=hour or coarser, or narrow from/to");
    }
  }

  @Test
  void shouldRefuseOverlongValuesAndTooManyFilters() {
    String from = T0.toString();
    String to = T0.plusSeconds(600).toString();
    assertRefused(
        400,
        "groupBy",
        "groupBy: a value of 65 characters, more than the maximum 64",
        "from",
        from,
        "to",
        to,
        "groupBy",
        ",".repeat(65));
    assertRefused(
        400,
        "filter",
        "filter: given 4 times, more than the maximum 3",
        "from",
        from,
        "to",
        to,
        "filter",
        "country:A",
        "filter",
        "country:B",
        "filter",
        "country:C",
        "filter",
        "country:D");
    assertRefused(
        400, "x".repeat(100) + "...", "xxxx", "from", from, "to", to, "x".repeat(5_000), "1");
  }

  @Test
  void shouldStopReadingOnceTheQueryHasReadTheMostGroups() {
    seedHours(3);

    // 180 stored groups, 50 allowed: the first hour's 60 already pass the bound
    assertRefused(
        400,
        "to",
        "to: the range holds more than 50 stored groups",
        "from",
        T0.toString(),
        "to",
        T0.plusSeconds(3 * 3600).toString(),
        "granularity",
        "hour");
    assertThat(reads).hasValue(1);
  }

  @Test
  void shouldStopRollingUpOnceTheRowsWithoutALimitPassTheMaximum() {
    seedHours(3);
    QueryLimits limits =
        new QueryLimits(1_000, 1_000, 20, Duration.ofSeconds(10), 2, Duration.ZERO, 64, 3);

    assertThatThrownBy(
            () ->
                engine(limits)
                    .query(
                        "traffic",
                        params("from", T0.toString(), "to", T0.plusSeconds(3 * 3600).toString())))
        .isInstanceOfSatisfying(
            QueryException.class, e -> assertThat(e.parameter()).isEqualTo("limit"))
        .hasMessageStartingWith("limit: the result has more than 20 rows");
    // the first hour holds 60 rows: the other two hours are never read
    assertThat(reads).hasValue(1);
  }

  @Test
  void shouldGiveUpAQueryPastItsTimeoutWith503() {
    seedHours(3);
    QueryLimits limits =
        new QueryLimits(1_000, 1_000, 1_000, Duration.ofSeconds(10), 2, Duration.ZERO, 64, 3);
    ViewLayer slow =
        (view, from, to) -> {
          reads.incrementAndGet();
          nanos.addAndGet(Duration.ofSeconds(4).toNanos());
          return stored.read(view, from, to);
        };
    QueryEngine engine = new QueryEngine(CATALOG, batch, slow, limits, 0, 0, nanos::get);

    assertThatThrownBy(
            () ->
                engine.query(
                    "traffic",
                    params(
                        "from",
                        T0.toString(),
                        "to",
                        T0.plusSeconds(5 * 3600).toString(),
                        "granularity",
                        "hour")))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.parameter()).isEqualTo("query");
            })
        .hasMessageStartingWith("query: not answered within 10000 ms");
    assertThat(reads).hasValue(3);
  }

  @Test
  void shouldGiveUpAYearByDayWhoseReadsOutlastTheTimeoutAfterTheTimeoutNotTheYear() {
    QueryLimits limits =
        new QueryLimits(
            10_000, 1_000_000, 10_000, Duration.ofSeconds(10), 2, Duration.ZERO, 1_024, 64);
    ViewLayer slow =
        (view, from, to) -> {
          reads.incrementAndGet();
          nanos.addAndGet(Duration.ofSeconds(1).toNanos());
          return stored.read(view, from, to);
        };
    QueryEngine engine = new QueryEngine(CATALOG, batch, slow, limits, 0, 0, nanos::get);

    assertThatThrownBy(
            () ->
                engine.query(
                    "traffic",
                    params(
                        "from",
                        "2025-01-01T00:00:00Z",
                        "to",
                        "2026-01-01T00:00:00Z",
                        "granularity",
                        "day",
                        "metrics",
                        "requests")))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageStartingWith("query: not answered within 10000 ms");
    // a read of a second each: given up after the tenth day of the 365
    assertThat(reads.get()).isBetween(10, 11);
  }

  @Test
  void shouldReadARangeOfManyDaysADayAtATimeIntoTheSameAnswer() {
    List<AccessLogEvent> events = new ArrayList<>();
    for (int day = 0; day < 3; day++) {
      events.add(hit(T0.plusSeconds(day * 86_400L + 60), "c" + day, "DE", 200, "/"));
    }
    stored.fold(TRAFFIC, events);
    Map<GroupKey, Aggregate> all = stored.read(TRAFFIC, Long.MIN_VALUE, Long.MAX_VALUE);

    QueryResult result =
        engine(LIMITS)
            .query(
                "traffic",
                params(
                    "from",
                    T0.toString(),
                    "to",
                    T0.plusSeconds(3 * 86_400L).toString(),
                    "granularity",
                    "all",
                    "metrics",
                    "requests"));

    assertThat(all).hasSize(3);
    assertThat(result.rows()).hasSize(1);
    assertThat(result.rows().get(0).metrics().get("requests").toString()).isEqualTo("3");
    assertThat(reads).hasValue(3);
  }
}
