package io.oxbow.serving;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.serving.lake.ParquetBatchViews;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetBatchViewsTest {
  private static final ViewFolder TRAFFIC = ViewCatalog.defaults().folder("traffic");
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @TempDir Path lake;

  private final List<AccessLogEvent> events =
      List.of(
          hit(T0.plusSeconds(60), "a", "DE", 200, "/"),
          hit(T0.plusSeconds(61), "b", "DE", 200, "/"),
          hit(T0.plusSeconds(3_600 + 120), "a", "US", 404, "/x"));

  @Test
  void shouldReadTheListedFilesOfTheRangeAndTheWatermark() throws Exception {
    Map<GroupKey, Aggregate> groups = TRAFFIC.fold(events);
    new Pipeline("unused", lake).publishBatch(TRAFFIC, groups, T0.plusSeconds(7_200));
    ParquetBatchViews batch = new ParquetBatchViews(lake);

    Map<GroupKey, Aggregate> firstHour =
        batch.read(TRAFFIC, T0.toEpochMilli(), T0.plusSeconds(3_600).toEpochMilli());

    assertThat(batch.watermark("traffic")).hasValue(T0.plusSeconds(7_200).toEpochMilli());
    assertThat(firstHour).hasSize(1);
    Aggregate read = firstHour.values().iterator().next();
    assertThat(read.records()).isEqualTo(2);
    assertThat(TRAFFIC.codec().toBytes(read))
        .isEqualTo(TRAFFIC.codec().toBytes(groups.get(firstHour.keySet().iterator().next())));
    assertThat(batch.watermark("pages")).isEmpty();
  }

  @Test
  void shouldWalkThePartitionsWhenTheManifestListsNoFilesAndSkipHiddenOnes() throws Exception {
    new Pipeline("unused", lake).publishBatch(TRAFFIC, TRAFFIC.fold(events), T0);
    Path dir = lake.resolve("views/traffic");
    Files.writeString(dir.resolve("_manifest.json"), "{\"watermark\":\"" + T0 + "\"}");
    Path hidden = dir.resolve("dt=2026-11-25/hour=10/_old.parquet");
    Files.copy(dir.resolve("dt=2026-11-25/hour=10/part-0.parquet"), hidden);
    ParquetBatchViews batch = new ParquetBatchViews(lake);

    Map<GroupKey, Aggregate> all =
        batch.read(TRAFFIC, T0.toEpochMilli(), T0.plusSeconds(7_200).toEpochMilli());

    assertThat(all.values().stream().mapToLong(Aggregate::records).sum()).isEqualTo(3);
    assertThat(
            batch.read(
                TRAFFIC,
                T0.plusSeconds(3_600).toEpochMilli(),
                T0.plusSeconds(7_200).toEpochMilli()))
        .hasSize(1);
  }

  @Test
  void shouldGiveANewVersionForEveryPublicationOrRewrittenFile() throws Exception {
    Pipeline pipeline = new Pipeline("unused", lake);
    ParquetBatchViews batch = new ParquetBatchViews(lake);
    assertThat(batch.version("traffic", 0, Long.MAX_VALUE)).isEmpty();

    pipeline.publishBatch(TRAFFIC, TRAFFIC.fold(events.subList(0, 1)), T0.plusSeconds(3_600));
    Object first = batch.version("traffic", 0, Long.MAX_VALUE).orElseThrow();
    assertThat(batch.version("traffic", 0, Long.MAX_VALUE)).hasValue(first);

    pipeline.publishBatch(TRAFFIC, TRAFFIC.fold(events.subList(0, 1)), T0.plusSeconds(7_200));
    Object moved = batch.version("traffic", 0, Long.MAX_VALUE).orElseThrow();
    pipeline.publishBatch(TRAFFIC, TRAFFIC.fold(events), T0.plusSeconds(7_200));
    Object rewritten = batch.version("traffic", 0, Long.MAX_VALUE).orElseThrow();

    assertThat(moved).isNotEqualTo(first);
    assertThat(rewritten).isNotEqualTo(moved);
  }
}
