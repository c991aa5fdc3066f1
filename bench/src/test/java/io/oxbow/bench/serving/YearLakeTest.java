package io.oxbow.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.serving.lake.ParquetBatchViews;
import io.oxbow.serving.query.QueryEngine;
import io.oxbow.serving.query.QueryLimits;
import io.oxbow.serving.query.QueryResult;
import io.oxbow.views.ViewCatalog;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The year benchmark's lake, kept from rotting: two days of synthetic traffic written by {@link
 * YearLake} (the batch loader's compaction) are answered by the serving API's query engine from the
 * day tier, and by the benchmark's DuckDB query over the minute files, with exactly the requests
 * and bytes of the generated events per day and country.
 */
class YearLakeTest {
  private static final Instant START = Instant.parse("2025-03-07T00:00:00Z");
  private static final Instant END = START.plusSeconds(2 * 86_400L);

  @TempDir Path dir;

  @Test
  void shouldAnswerTwoDaysByDayAndCountryWithTheGeneratedRequestsAndBytes() throws Exception {
    SyntheticTraffic traffic = new SyntheticTraffic(7, 5);
    List<Long> written = new ArrayList<>();

    assertThat(YearLake.ensure(dir, traffic, START, 2, written::add)).isTrue();
    assertThat(YearLake.ensure(dir, traffic, START, 2, written::add))
        .as("the same parameters reuse the lake")
        .isFalse();

    List<DayRow> expected = direct(traffic);
    QueryResult served = query(YearLake.lakeOf(dir));
    assertThat(DayRow.fromServingJson(json(served))).isEqualTo(expected);
    assertThat(served.sources().batchTiers())
        .containsExactly(new QueryResult.TierRange("1d", START.toString(), END.toString()));
    try (MinuteFilesQuery duck = new MinuteFilesQuery(YearLake.lakeOf(dir), "traffic")) {
      assertThat(duck.query(START, END)).isEqualTo(expected);
    }
    assertThat(written).hasSize(2);
    assertThat(expected).hasSizeGreaterThan(2 * 20);
  }

  /** Requests and bytes per day and country summed straight from the generated events. */
  private static List<DayRow> direct(SyntheticTraffic traffic) {
    Map<String, long[]> sums = new TreeMap<>();
    for (long hour = START.toEpochMilli(); hour < END.toEpochMilli(); hour += 3_600_000L) {
      for (GenericRecord event : traffic.hour(hour)) {
        long time = (Long) event.get("event_time");
        String day = Instant.ofEpochMilli(time - Math.floorMod(time, 86_400_000L)).toString();
        long[] sum = sums.computeIfAbsent(day + "|" + event.get("country"), k -> new long[2]);
        sum[0]++;
        sum[1] += (Long) event.get("bytes");
      }
    }
    List<DayRow> rows = new ArrayList<>();
    sums.forEach(
        (k, v) -> {
          String[] parts = k.split("\\|");
          rows.add(new DayRow(parts[0], parts[1], v[0], BigDecimal.valueOf(v[1])));
        });
    rows.sort(DayRow.ORDER);
    return rows;
  }

  private static QueryResult query(Path lake) {
    QueryEngine engine =
        new QueryEngine(
            ViewCatalog.defaults(),
            new ParquetBatchViews(new LocalLakeStorage(lake)),
            (view, from, to) -> Map.of(),
            QueryLimits.DEFAULTS);
    return engine.query(
        "traffic",
        Map.of(
            "from", List.of(START.toString()),
            "to", List.of(END.toString()),
            "granularity", List.of("day"),
            "groupBy", List.of("country"),
            "metrics", List.of("requests,bytes")));
  }

  private static String json(QueryResult result) throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = new ObjectMapper().createGenerator(out)) {
      result.writeJson(json);
    }
    return out.toString();
  }
}
