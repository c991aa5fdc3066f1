package io.oxbow.serving.query;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;

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

/** The cap on groups per window, through the query engine and across the seam. */
class GroupFoldTest {
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder PAGES = CATALOG.folder("pages");
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final int CAP = 10;

  private final InMemoryLayer batch = new InMemoryLayer();
  private final InMemoryLayer speed = new InMemoryLayer();

  /** Hour {@code hour} after T0: path /p{i} seen i+1 times, for 100 paths (scanner-like). */
  private static List<AccessLogEvent> hour(int hour) {
    List<AccessLogEvent> events = new ArrayList<>();
    for (int path = 0; path < 100; path++) {
      for (int n = 0; n <= path; n++) {
        events.add(hit(T0.plusSeconds(hour * 3600L + n), "client-" + n, "DE", 200, "/p" + path));
      }
    }
    return events;
  }

  private QueryResult query(QueryEngine engine, String... params) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    map.put("from", List.of(T0.toString()));
    map.put("to", List.of(T0.plusSeconds(4 * 3600).toString()));
    for (int i = 0; i < params.length; i += 2) {
      map.computeIfAbsent(params[i], k -> new ArrayList<>()).add(params[i + 1]);
    }
    return engine.query("pages", map);
  }

  private QueryEngine engine(int maxGroups) {
    return new QueryEngine(CATALOG, batch, speed, QueryLimits.of(2_000, 5_000), 0, 0, maxGroups);
  }

  @Test
  void shouldKeepTotalsExactAndBoundTheGroupsOfEveryWindow() {
    // two hours in the batch view, two in the speed view: the seam at 12:00
    batch
        .fold(PAGES, hour(0))
        .fold(PAGES, hour(1))
        .watermark("pages", T0.plusSeconds(7200).toEpochMilli());
    speed.fold(PAGES, hour(2)).fold(PAGES, hour(3));
    QueryEngine capped = engine(CAP);
    QueryEngine uncapped = engine(1_000);

    QueryResult folded = query(capped, "groupBy", "path", "metrics", "views");
    QueryResult exact = query(uncapped, "groupBy", "path", "metrics", "views");

    // every hour keeps its 9 most viewed paths and one (other): 10 rows per window
    assertThat(exact.rows()).hasSize(400);
    assertThat(folded.rows()).hasSize(4 * CAP);
    assertThat(folded.foldedGroups()).isEqualTo(4 * (100 - (CAP - 1)));
    assertThat(exact.foldedGroups()).isZero();
    assertThat(total(folded)).isEqualTo(total(exact)).isEqualTo(BigDecimal.valueOf(4 * 5050));
    assertThat(folded.rows())
        .filteredOn(r -> r.dims().get("path").equals(GroupFold.OTHER))
        .hasSize(4)
        .allSatisfy(
            r -> assertThat(r.metrics().get("views")).isEqualTo(BigDecimal.valueOf(5050 - 864)));
    assertThat(folded.rows())
        .filteredOn(r -> !r.dims().get("path").equals(GroupFold.OTHER))
        .allSatisfy(r -> assertThat(r.dims().get("path")).isIn(paths(91, 99)));
    assertThat(capped.foldedGroups("pages")).isEqualTo(4 * 91);

    // rolled up over the whole range the totals still agree, and the answer says it folded
    QueryResult all = query(capped, "granularity", "all", "groupBy", "path", "metrics", "views");
    assertThat(total(all)).isEqualTo(BigDecimal.valueOf(4 * 5050));
    assertThat(all.foldedGroups()).isEqualTo(4 * 91);
  }

  private static List<String> paths(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add("/p" + i);
    }
    return out;
  }

  private static BigDecimal total(QueryResult result) {
    return result.rows().stream()
        .map(r -> (BigDecimal) r.metrics().get("views"))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
