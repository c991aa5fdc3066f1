package io.oxbow.serving.query;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The query engine's cache of rolled-up windows: answers from it equal answers computed afresh, and
 * a new batch publication or a changed speed window is seen by the very next query.
 */
class CachedQueryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder TRAFFIC = CATALOG.folder("traffic");
  private static final ViewFolder PAGES = CATALOG.folder("pages");
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final QueryLimits LIMITS = QueryLimits.of(100_000, 10_000);

  private final InMemoryLayer batch = new InMemoryLayer();
  private final InMemoryLayer speed = new InMemoryLayer();
  private final QueryEngine cached =
      new QueryEngine(CATALOG, batch, speed, LIMITS, 64L << 20, 10_000);
  private final QueryEngine uncached = new QueryEngine(CATALOG, batch, speed, LIMITS, 0, 0);
  private final List<AccessLogEvent> events = new ArrayList<>();

  /** Three hours of traffic, in both layers (as in a running pipeline), batch final to 11:37. */
  private void seed() {
    String[] countries = {"DE", "US", "FR"};
    for (int minute = 0; minute < 180; minute++) {
      for (int i = 0; i < 4; i++) {
        String client = "c" + ((minute * 7 + i * 3) % 23);
        events.add(
            hit(
                T0.plusSeconds(minute * 60L + i * 7),
                client,
                countries[(minute + i) % 3],
                i == 3 ? 404 : 200,
                "/p" + (minute % 5)));
      }
    }
    batch.fold(TRAFFIC, events).fold(PAGES, events);
    speed.fold(TRAFFIC, events).fold(PAGES, events);
    batch.watermark("traffic", at(97, 30).toEpochMilli());
    batch.watermark("pages", at(97, 30).toEpochMilli());
  }

  private static Instant at(int minute, int second) {
    return T0.plusSeconds(minute * 60L + second);
  }

  private static QueryResult query(QueryEngine engine, String view, String... params) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      map.computeIfAbsent(params[i], k -> new ArrayList<>()).add(params[i + 1]);
    }
    return engine.query(view, map);
  }

  private static String json(QueryResult result) throws Exception {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.getFactory().createGenerator(text)) {
      result.writeJson(json);
    }
    return text.toString();
  }

  private static final List<String[]> QUERIES =
      List.of(
          new String[] {"traffic", "granularity", "minute", "groupBy", "country"},
          new String[] {"traffic", "granularity", "5m", "groupBy", "country,status_class"},
          new String[] {"traffic", "granularity", "hour", "metrics", "requests,visitors,bytes"},
          new String[] {"traffic", "granularity", "all", "groupBy", "country"},
          new String[] {
            "traffic", "granularity", "hour", "groupBy", "country", "orderBy", "-requests"
          },
          new String[] {"traffic", "granularity", "minute", "filter", "country:DE", "limit", "7"},
          new String[] {"pages", "granularity", "hour", "groupBy", "path"},
          new String[] {"pages", "granularity", "all", "groupBy", "path", "orderBy", "-views"});

  private static String[] withRange(String[] query, Instant from, Instant to) {
    List<String> params = new ArrayList<>(List.of(query).subList(1, query.length));
    params.addAll(List.of("from", from.toString(), "to", to.toString()));
    return params.toArray(String[]::new);
  }

  @Test
  void shouldAnswerFromTheCacheExactlyAsWithoutIt() throws Exception {
    seed();
    List<Instant[]> ranges =
        List.of(
            new Instant[] {T0, at(180, 0)},
            new Instant[] {at(13, 0), at(170, 30)},
            new Instant[] {T0, at(60, 0)},
            new Instant[] {at(120, 0), at(180, 0)});

    for (int round = 0; round < 2; round++) {
      for (String[] q : QUERIES) {
        for (Instant[] range : ranges) {
          String[] params = withRange(q, range[0], range[1]);
          assertThat(json(query(cached, q[0], params)))
              .as("%s %s, round %d", q[0], List.of(params), round)
              .isEqualTo(json(query(uncached, q[0], params)));
        }
      }
    }
    assertThat(cached.cacheHits()).isGreaterThan(QUERIES.size() * ranges.size());
    assertThat(cached.cachedBytes()).isPositive();
    assertThat(uncached.cachedBytes()).isZero();
  }

  @Test
  void shouldWriteTheSameJsonAsTheRowsSerializedByJackson() throws Exception {
    seed();
    for (String[] q : QUERIES) {
      for (int round = 0; round < 2; round++) {
        QueryResult result = query(cached, q[0], withRange(q, T0, at(180, 0)));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("view", result.view());
        document.put("watermark", result.watermark());
        document.put("rows", result.rows());
        document.put("sources", result.sources());

        assertThat(json(result)).isEqualTo(JSON.writeValueAsString(document));
      }
    }
  }

  @Test
  void shouldSeeANewBatchPublicationAtOnce() {
    seed();
    // requests and visitors: exact here whichever layer answers (quantile sketches merged in
    // another order may differ within their error)
    String[] hourly = {
      "from",
      T0.toString(),
      "to",
      at(180, 0).toString(),
      "granularity",
      "hour",
      "metrics",
      "requests,visitors"
    };
    QueryResult before = query(cached, "traffic", hourly);
    assertThat(query(cached, "traffic", hourly).rows()).isEqualTo(before.rows());

    // a late event at 10:20 reaches the batch view with the next publication, which also moves W
    AccessLogEvent late = hit(at(20, 30), "late", "DE", 200, "/");
    batch.fold(TRAFFIC, List.of(late)).watermark("traffic", at(150, 0).toEpochMilli());
    QueryResult after = query(cached, "traffic", hourly);

    assertThat(after.watermark()).isEqualTo(at(150, 0).toString());
    assertThat(after.sources().batch().to()).isEqualTo(at(150, 0).toString());
    assertThat(requests(after.rows().get(0))).isEqualTo(requests(before.rows().get(0)) + 1);
    assertThat(after.rows().subList(1, 3)).isEqualTo(before.rows().subList(1, 3));

    // a correction republished under the same watermark is seen as well
    batch.fold(TRAFFIC, List.of(hit(at(21, 0), "later", "DE", 200, "/")));
    assertThat(requests(query(cached, "traffic", hourly).rows().get(0)))
        .isEqualTo(requests(before.rows().get(0)) + 2);
  }

  @Test
  void shouldSeeAChangedSpeedWindowAtOnce() {
    seed();
    String[] minutes = {
      "from", at(120, 0).toString(), "to", at(180, 0).toString(), "metrics", "requests"
    };
    QueryResult before = query(cached, "traffic", minutes);
    query(cached, "traffic", minutes);

    speed.fold(TRAFFIC, List.of(hit(at(125, 5), "new", "DE", 200, "/")));
    QueryResult after = query(cached, "traffic", minutes);

    assertThat(requests(after.rows().get(5))).isEqualTo(requests(before.rows().get(5)) + 1);
    assertThat(after.rows().get(6)).isEqualTo(before.rows().get(6));
  }

  @Test
  void shouldNeverCountAWindowTwiceAcrossTheSeamWhenAnsweringFromTheCache() {
    seed();
    // the seam (11:37) falls inside the 11:00 hour and the day: those buckets take windows from
    // both layers, which both hold every window
    Map<String, Long> bucketSeconds = Map.of("hour", 3_600L, "day", 86_400L, "5m", 300L);
    for (String granularity : List.of("hour", "day", "all", "5m")) {
      String[] params = {
        "from", T0.toString(), "to", at(180, 0).toString(), "granularity", granularity
      };
      for (int round = 0; round < 3; round++) {
        List<QueryResult.Row> rows = query(cached, "traffic", params).rows();

        assertThat(rows).extracting(QueryResult.Row::windowStart).doesNotHaveDuplicates();
        for (QueryResult.Row row : rows) {
          Instant start = Instant.parse(row.windowStart());
          Instant end =
              granularity.equals("all")
                  ? at(180, 0)
                  : start.plusSeconds(bucketSeconds.get(granularity));
          long direct =
              events.stream()
                  .filter(e -> !e.getEventTime().isBefore(start) && e.getEventTime().isBefore(end))
                  .count();
          assertThat(requests(row))
              .as("%s bucket %s, round %d", granularity, start, round)
              .isEqualTo(direct);
        }
        assertThat(rows.stream().mapToLong(CachedQueryTest::requests).sum())
            .isEqualTo(events.size());
      }
    }
    QueryResult all =
        query(
            cached,
            "traffic",
            "from",
            T0.toString(),
            "to",
            at(180, 0).toString(),
            "granularity",
            "all");
    Set<String> clients = new HashSet<>();
    events.forEach(e -> clients.add(e.getClient()));
    assertThat(visitors(all.rows().get(0))).isEqualTo(clients.size());
  }

  private static long requests(QueryResult.Row row) {
    return ((BigDecimal) row.metrics().get("requests")).longValueExact();
  }

  @SuppressWarnings("unchecked")
  private static double visitors(QueryResult.Row row) {
    return ((Number) ((Map<String, Object>) row.metrics().get("visitors")).get("estimate"))
        .doubleValue();
  }

  @Test
  void shouldKeepTheCacheWithinItsBoundsWhenEveryQueryOverAnEmptyRangeIsNew() {
    QueryEngine bounded = new QueryEngine(CATALOG, batch, speed, LIMITS, 1 << 20, 100);

    // empty ranges far from the data, each query with another filter: a new key every time
    for (int i = 0; i < 500; i++) {
      Instant from = T0.plusSeconds(86_400L * (10 + i % 50));
      query(
          bounded,
          "traffic",
          "from",
          from.toString(),
          "to",
          from.plusSeconds(3 * 3600).toString(),
          "granularity",
          "hour",
          "filter",
          "country:X" + i);
    }

    assertThat(bounded.cachedEntries()).isEqualTo(100);
    assertThat(bounded.cachedBytes()).isPositive().isLessThanOrEqualTo(1 << 20);
  }
}
