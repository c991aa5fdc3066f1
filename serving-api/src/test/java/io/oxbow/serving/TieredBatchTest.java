package io.oxbow.serving;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.serving.lake.ParquetBatchViews;
import io.oxbow.serving.query.QueryEngine;
import io.oxbow.serving.query.QueryLimits;
import io.oxbow.serving.query.QueryResult;
import io.oxbow.serving.query.ViewLayer;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roll-up tiers as the serving API reads them: a year by day from the day tier (and the day
 * holding the watermark from the hour tier, the speed view after it) equals the same query over the
 * view's minute windows alone, metric for metric, and reads no minute file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TieredBatchTest {
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder TRAFFIC = CATALOG.folder("traffic");
  private static final Instant YEAR = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant NEXT_YEAR = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant LAST_DAY = Instant.parse("2025-12-31T00:00:00Z");
  private static final Instant WATERMARK = Instant.parse("2025-12-31T10:00:00Z");
  private static final String[] COUNTRIES = {"DE", "US", "FR"};
  private static final String[] PATHS = {"/", "/a", "/b", "/c", "/d"};

  private Path tiered;
  private Path minutesOnly;

  private final List<AccessLogEvent> events = new ArrayList<>();
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private ViewLayer speed;

  /**
   * A year of hits, a few in one hour of every third day; the ones after the watermark are speed's.
   */
  @BeforeAll
  void publishAYear(@TempDir Path root) throws IOException {
    tiered = root.resolve("tiered");
    minutesOnly = root.resolve("minutes-only");
    int i = 0;
    // every third day and the last (the one holding the watermark) keeps the lake small
    for (Instant day = YEAR; day.isBefore(NEXT_YEAR); day = day.plusSeconds(3 * 86_400)) {
      Instant hour = day.plusSeconds(3_600L * (i % 24));
      for (int k = 0; k < 4; k++, i++) {
        events.add(
            hit(
                hour.plusSeconds(60L * (k * 7 % 60) + k),
                "c" + (i % 97),
                COUNTRIES[i % 3],
                i % 11 == 0 ? 404 : 200,
                PATHS[i % 5]));
      }
    }
    for (int k = 0; k < 6; k++) {
      events.add(hit(WATERMARK.plusSeconds(60L * k - 1_800), "late" + k, "DE", 200, "/"));
      events.add(hit(WATERMARK.plusSeconds(3_600L * k + 30), "s" + k, "US", 200, "/a"));
    }
    List<AccessLogEvent> before = new ArrayList<>();
    List<AccessLogEvent> after = new ArrayList<>();
    events.forEach(e -> (e.getEventTime().isBefore(WATERMARK) ? before : after).add(e));
    Map<GroupKey, Aggregate> batchGroups = TRAFFIC.fold(before);
    Map<GroupKey, Aggregate> speedGroups = TRAFFIC.fold(after);
    speed =
        (view, from, to) -> {
          Map<GroupKey, Aggregate> out = new HashMap<>();
          speedGroups.forEach(
              (k, a) -> {
                if (k.windowStart() >= from && k.windowStart() < to) {
                  out.put(k, a);
                }
              });
          return out;
        };
    Pipeline withTiers = new Pipeline("unused", tiered);
    withTiers.publishBatch(TRAFFIC, batchGroups, WATERMARK);
    withTiers.publishTiers(TRAFFIC, batchGroups);
    new Pipeline("unused", minutesOnly).publishBatch(TRAFFIC, batchGroups, WATERMARK);
  }

  private QueryResult query(Path lake, boolean count, String granularity, String groupBy) {
    LakeStorage storage = count ? new CountingStorage(new LocalLakeStorage(lake), reads) : null;
    // a new reader per query: every file read is a first read
    ParquetBatchViews batch = new ParquetBatchViews(count ? storage : new LocalLakeStorage(lake));
    QueryEngine engine = new QueryEngine(CATALOG, batch, speed, QueryLimits.of(10_000, 10_000));
    Map<String, List<String>> params = new LinkedHashMap<>();
    params.put("from", List.of(YEAR.toString()));
    params.put("to", List.of(NEXT_YEAR.toString()));
    params.put("granularity", List.of(granularity));
    params.put("groupBy", List.of(groupBy));
    params.put("metrics", List.of("requests,bytes,visitors,top_paths,bytes_quantiles"));
    params.put("limit", List.of("10000"));
    return engine.query("traffic", params);
  }

  @Test
  void shouldAnswerAYearByDayFromTheDayTierAsFromTheMinutesReadingOnlyTierFiles() {
    QueryResult fromTiers = query(tiered, true, "day", "country");
    QueryResult fromMinutes = query(minutesOnly, false, "day", "country");

    assertThat(mergeFree(fromTiers)).isEqualTo(mergeFree(fromMinutes));
    assertThat(fromTiers.rows()).hasSizeGreaterThan(300);
    // the seam stays exact: the last day is the batch's hours before W and the speed's after
    long lastDay =
        events.stream()
            .filter(e -> !e.getEventTime().isBefore(LAST_DAY))
            .filter(e -> e.getEventTime().isBefore(NEXT_YEAR))
            .count();
    assertThat(
            fromTiers.rows().stream()
                .filter(r -> r.windowStart().equals(LAST_DAY.toString()))
                .map(r -> (BigDecimal) r.metrics().get("requests"))
                .reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualTo(BigDecimal.valueOf(lastDay));
    assertThat(fromTiers.sources().batchTiers())
        .containsExactly(
            new QueryResult.TierRange("1d", YEAR.toString(), LAST_DAY.toString()),
            new QueryResult.TierRange("1h", LAST_DAY.toString(), WATERMARK.toString()));
    assertThat(fromMinutes.sources().batchTiers())
        .containsExactly(new QueryResult.TierRange("1m", YEAR.toString(), WATERMARK.toString()));
    // the day files of the days before the watermark's and that day's hours, no minute file
    String days = LakeLayout.tierFolder("traffic", LakeLayout.DAY_TIER) + "/";
    String hours = LakeLayout.tierFolder("traffic", LakeLayout.HOUR_TIER) + "/";
    assertThat(reads).allMatch(k -> k.startsWith(days) || k.startsWith(hours));
    assertThat(reads.stream().filter(k -> k.startsWith(days))).hasSize(122);
    assertThat(reads.stream().filter(k -> k.startsWith(hours)))
        .isNotEmpty()
        .allMatch(
            k -> {
              long start = LakeLayout.partitionStart(k.substring(hours.length())).getAsLong();
              return start >= LAST_DAY.toEpochMilli() && start < WATERMARK.toEpochMilli();
            });
  }

  @Test
  void shouldAnswerMonthAndHourFromTheTiersAsFromTheMinutes() {
    assertThat(mergeFree(query(tiered, false, "month", "status_class")))
        .isEqualTo(mergeFree(query(minutesOnly, false, "month", "status_class")));
    QueryResult hours = query(tiered, false, "hour", "country");
    assertThat(mergeFree(hours)).isEqualTo(mergeFree(query(minutesOnly, false, "hour", "country")));
    assertThat(hours.sources().batchTiers())
        .containsExactly(new QueryResult.TierRange("1h", YEAR.toString(), WATERMARK.toString()));
  }

  /**
   * The rows with each quantiles read-out reduced to what any merge order gives exactly (n, min,
   * max): a KLL sketch's estimates depend on the order it was merged in, within its error. Counts,
   * sums, distinct counts (HLL unions) and top items are compared whole.
   */
  @SuppressWarnings("unchecked")
  private static List<String> mergeFree(QueryResult result) {
    List<String> rows = new ArrayList<>();
    for (QueryResult.Row row : result.rows()) {
      Map<String, Object> metrics = new LinkedHashMap<>(row.metrics());
      Map<String, Object> quantiles =
          new LinkedHashMap<>((Map<String, Object>) metrics.get("bytes_quantiles"));
      quantiles.keySet().retainAll(List.of("n", "min", "max"));
      metrics.put("bytes_quantiles", quantiles);
      rows.add(row.windowStart() + " " + row.dims() + " " + metrics);
    }
    rows.sort(null);
    return rows;
  }

  /** A lake that records the key of every file read whole. */
  private static final class CountingStorage extends ForwardingLakeStorage {
    private final List<String> reads;

    CountingStorage(LakeStorage lake, List<String> reads) {
      super(lake);
      this.reads = reads;
    }

    @Override
    public LocalCopy localCopy(String key) throws IOException {
      reads.add(key);
      return lake.localCopy(key);
    }
  }
}
