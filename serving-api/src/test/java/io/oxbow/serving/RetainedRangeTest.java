package io.oxbow.serving;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.serving.lake.ParquetBatchViews;
import io.oxbow.serving.query.QueryEngine;
import io.oxbow.serving.query.QueryLimits;
import io.oxbow.serving.query.QueryResult;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries over a range the batch loader's retention removed: answered from a coarser tier when the
 * granularity allows, else reported as gone with the rest answered; and a query that read the
 * manifest just before retention switched it answers with the hours or reports them gone, never
 * with part of them.
 */
class RetainedRangeTest {
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final ViewFolder TRAFFIC = CATALOG.folder("traffic");
  private static final Instant FROM = Instant.parse("2015-05-18T00:00:00Z");
  private static final Instant KEPT = Instant.parse("2015-05-20T00:00:00Z");
  private static final Instant TO = Instant.parse("2015-05-21T00:00:00Z");

  @TempDir Path lake;
  private final List<AccessLogEvent> events = new ArrayList<>();

  /** Three days of hits, three an hour; the batch view with its hour and day tiers. */
  @BeforeEach
  void publish() throws IOException {
    int i = 0;
    for (Instant hour = FROM; hour.isBefore(TO); hour = hour.plusSeconds(3_600)) {
      for (int k = 0; k < 3; k++, i++) {
        events.add(hit(hour.plusSeconds(60L * (i % 60)), "c" + i % 13, "DE", 200, "/"));
      }
    }
    Pipeline pipeline = new Pipeline("unused", lake);
    pipeline.publishBatch(TRAFFIC, TRAFFIC.fold(events), TO);
    pipeline.publishTiers(TRAFFIC, TRAFFIC.fold(events));
  }

  /** Retention as the batch loader applies it: the manifest switched, then the files deleted. */
  private void removeMinuteFilesBefore(Instant kept) throws IOException {
    try (LakeStorage storage = new LocalLakeStorage(lake)) {
      ViewManifestStore store = new ViewManifestStore(storage);
      ViewManifest manifest = store.read();
      ViewManifest.ViewState state = manifest.views().get("traffic");
      store.write(
          manifest.with("traffic", state.retainedFrom(LakeLayout.FILES_TIER, kept.toEpochMilli())));
      for (var hour : state.hours().entrySet()) {
        if (hour.getKey() < kept.toEpochMilli()) {
          storage.delete(
              LakeLayout.viewFileKey("traffic", hour.getKey(), hour.getValue().version()));
        }
      }
    }
  }

  private QueryResult query(LakeStorage storage, String granularity) {
    QueryEngine engine =
        new QueryEngine(
            CATALOG,
            new ParquetBatchViews(storage),
            (view, from, to) -> Map.of(),
            QueryLimits.of(100_000, 100_000));
    Map<String, List<String>> params = new LinkedHashMap<>();
    params.put("from", List.of(FROM.toString()));
    params.put("to", List.of(TO.toString()));
    params.put("granularity", List.of(granularity));
    params.put("metrics", List.of("requests"));
    return engine.query("traffic", params);
  }

  private static long requests(QueryResult result) {
    return result.rows().stream()
        .map(r -> (BigDecimal) r.metrics().get("requests"))
        .reduce(BigDecimal.ZERO, BigDecimal::add)
        .longValueExact();
  }

  private long eventsFrom(Instant from) {
    return events.stream().filter(e -> !e.getEventTime().isBefore(from)).count();
  }

  private static JsonNode json(QueryResult result) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      result.writeJson(json);
    }
    return new ObjectMapper().readTree(out.toByteArray());
  }

  @Test
  void shouldAnswerHoursFromTheHourTierWhenTheMinuteFilesAreGone() throws IOException {
    removeMinuteFilesBefore(KEPT);

    QueryResult result = query(new LocalLakeStorage(lake), "hour");

    assertThat(requests(result)).isEqualTo(events.size());
    assertThat(result.retained()).isEmpty();
    assertThat(result.sources().batchTiers())
        .containsExactly(new QueryResult.TierRange("1h", FROM.toString(), TO.toString()));
  }

  @Test
  void shouldReportTheMinutesRetentionRemovedAndAnswerTheRest() throws IOException {
    removeMinuteFilesBefore(KEPT);

    QueryResult result = query(new LocalLakeStorage(lake), "minute");

    assertThat(requests(result)).isEqualTo(eventsFrom(KEPT));
    assertThat(result.rows()).allMatch(r -> r.windowStart().compareTo(KEPT.toString()) >= 0);
    JsonNode retained = json(result).path("retained");
    assertThat(retained).hasSize(1);
    assertThat(retained.get(0).path("from").asText()).isEqualTo(FROM.toString());
    assertThat(retained.get(0).path("to").asText()).isEqualTo(KEPT.toString());
    assertThat(retained.get(0).path("tier").asText()).isEqualTo("1m");
    assertThat(retained.get(0).path("kept_from").asText()).isEqualTo(KEPT.toString());
    assertThat(retained.get(0).path("reason").asText())
        .contains("removed by retention")
        .contains("batch.retention.view-files");
  }

  @Test
  void shouldNeverAnswerPartOfTheRemovedHoursWhenRetentionSwitchesDuringTheQuery()
      throws IOException {
    // retention switches the manifest and deletes the files after this query read the manifest,
    // as it opens the first minute file it was told of
    LakeStorage racing =
        new SwapOnFirstRead(new LocalLakeStorage(lake), () -> removeMinuteFilesBefore(KEPT));

    QueryResult result = query(racing, "minute");

    assertThat(requests(result)).isEqualTo(eventsFrom(KEPT));
    assertThat(result.retained()).hasSize(1);
    assertThat(result.retained().get(0).to()).isEqualTo(KEPT.toString());
  }

  @Test
  void shouldAnswerEveryHourFromTheHourTierWhenRetentionSwitchesDuringTheQuery()
      throws IOException {
    LakeStorage racing =
        new SwapOnFirstRead(new LocalLakeStorage(lake), () -> removeMinuteFilesBefore(KEPT));

    QueryResult result = query(racing, "hour");

    assertThat(requests(result)).isEqualTo(events.size());
    assertThat(result.retained()).isEmpty();
  }
}
