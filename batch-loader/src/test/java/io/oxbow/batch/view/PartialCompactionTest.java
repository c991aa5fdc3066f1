package io.oxbow.batch.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.batch.upstream.TopicInputs;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compactor merging per-partition partial aggregates, on local lakes without a broker: three
 * partitions, two closed hours, each partition hour landed as two small files. The same lake
 * compacted without any partial is the reference: every published group state must be the same
 * bytes, and equal to the views module's direct fold of all rows.
 */
class PartialCompactionTest {
  private static final long H = LakeLayout.HOUR_MS;
  private static final long DAY = 16_572 * LakeLayout.DAY_MS;
  private static final List<Long> HOURS = List.of(DAY + 10 * H, DAY + 11 * H);
  private static final String TOPIC = "logs";
  private static final DatasetSpec SPEC =
      DatasetSpec.of(TOPIC, "event_time").feeding("access-logs.enriched");
  // traffic has every kind of metric and a minute window, pages an hour window and a filter-free
  // day tier: enough for the merge, and fewer files to write than every default view
  private static final List<String> VIEWS = List.of("traffic", "pages");
  private static final ViewCatalog CATALOG =
      ViewCatalog.of(
          VIEWS.stream().map(v -> ViewCatalog.defaults().folder(v).definition()).toList());
  private static final int PARTITIONS = 3;
  private static final int ROWS_PER_FILE = 40;

  @TempDir Path root;

  @Test
  void shouldPublishTheSameBytesFromPartialsAsFromItsOwnFold() throws Exception {
    LocalLakeStorage reference = new LocalLakeStorage(root.resolve("reference"));
    LocalLakeStorage lake = new LocalLakeStorage(root.resolve("lake"));
    List<GenericRecord> rows = landAll(reference);
    landAll(lake);
    BatchCompactor referenceCompactor = compactor(reference);
    referenceCompactor.runOnce(0);

    // another instance owns partitions 1 and 2: it folds their closed hours ahead of the compactor
    int written = writer(lake).runOnce(0, (topic, p) -> p != 0);
    BatchCompactor compactor = compactor(lake);
    compactor.runOnce(0);

    assertThat(written).isEqualTo(2 * HOURS.size());
    assertThat(compactor.partitionSources().fromPartials()).isEqualTo(2 * HOURS.size());
    assertThat(compactor.partitionSources().folded()).isEqualTo(HOURS.size());
    assertThat(referenceCompactor.partitionSources().folded()).isEqualTo(PARTITIONS * HOURS.size());
    assertSameViews(lake, reference);
    assertEqualsDirectFold(lake, rows);
    assertNoPartials(lake);
  }

  @Test
  void shouldFoldStaleAndMissingPartialsItselfIncludingALateRow() throws Exception {
    LocalLakeStorage reference = new LocalLakeStorage(root.resolve("reference"));
    LocalLakeStorage lake = new LocalLakeStorage(root.resolve("lake"));
    List<GenericRecord> rows = landAll(reference);
    landAll(lake);
    assertThat(writer(lake).runOnce(0, (topic, p) -> true)).isEqualTo(PARTITIONS * HOURS.size());
    // partition 2's partial of hour 10 is missing for one view: the partition is folded here
    PartialStore store = new PartialStore(lake);
    store.list("pages").stream()
        .filter(p -> p.partition() == 2 && p.hourStart() == HOURS.get(0))
        .forEach(p -> delete(store, p));
    // a late row of partition 1 lands in hour 10 after its partial: that partial is stale
    GenericRecord late = hit(HOURS.get(0) + 59 * 60_000L, 1, 999);
    for (LocalLakeStorage l : List.of(reference, lake)) {
      land(l, 1, HOURS.get(0), 2 * HOURS.size() * ROWS_PER_FILE, List.of(late));
      commit(l, 1, 2 * HOURS.size() * ROWS_PER_FILE + 1);
    }
    rows.add(late);
    compactor(reference).runOnce(0);

    BatchCompactor compactor = compactor(lake);
    compactor.runOnce(0);

    assertThat(compactor.partitionSources().fromPartials()).isEqualTo(4);
    assertThat(compactor.partitionSources().folded()).isEqualTo(2);
    assertSameViews(lake, reference);
    assertEqualsDirectFold(lake, rows);
    assertNoPartials(lake);
  }

  @Test
  void shouldRecompactALateRowFromItsNewPartialAndRemoveOrphans() throws Exception {
    LocalLakeStorage reference = new LocalLakeStorage(root.resolve("reference"));
    LocalLakeStorage lake = new LocalLakeStorage(root.resolve("lake"));
    List<GenericRecord> rows = landAll(reference);
    landAll(lake);
    compactor(reference).runOnce(0);
    BatchCompactor compactor = compactor(lake);
    compactor.runOnce(0);
    // a late row for partition 2's hour 11, once both hours are published
    GenericRecord late = hit(HOURS.get(1) + 30 * 60_000L, 2, 777);
    long next = 2 * HOURS.size() * ROWS_PER_FILE;
    for (LocalLakeStorage l : List.of(reference, lake)) {
      land(l, 2, HOURS.get(1), next, List.of(late));
      commit(l, 2, next + 1);
    }
    rows.add(late);
    // an orphan folded with another definition, and a partial of offsets not committed yet
    PartitionHour p0 = new PartitionHour(TOPIC, 0, HOURS.get(0), List.of(file(0, HOURS.get(0), 0)));
    LakeLayout.PartialFile otherDefinition = p0.partial("traffic", 40, "0");
    LakeLayout.PartialFile ahead =
        new PartitionHour(TOPIC, 0, HOURS.get(1), List.of(file(0, HOURS.get(1), next)))
            .partial("traffic", 40, PartialStore.fingerprint(CATALOG.folder("traffic")));
    for (LakeLayout.PartialFile orphan : List.of(otherDefinition, ahead)) {
      lake.putAtomic(orphan.key(), new byte[] {1});
    }

    // partition 2's owner folds the hour anew; hour 10 is up to date and gets no partial
    assertThat(writer(lake).runOnce(0, (topic, p) -> p == 2)).isEqualTo(1);
    compactor(reference).runOnce(0);
    compactor.runOnce(0);

    assertThat(compactor.partitionSources().fromPartials()).isEqualTo(1);
    assertThat(compactor.partitionSources().folded())
        .isEqualTo(PARTITIONS * HOURS.size() + PARTITIONS - 1);
    assertThat(new ViewManifestStore(lake).read().view("pages", SPEC.dataset()).hours())
        .extractingByKey(HOURS.get(1))
        .satisfies(v -> assertThat(v.version()).isEqualTo(2));
    assertSameViews(lake, reference);
    assertEqualsDirectFold(lake, rows);
    assertThat(lake.list(LakeLayout.partialFolder("traffic"))).containsExactly(ahead.key());
    assertThat(lake.list(LakeLayout.partialFolder("pages"))).isEmpty();
  }

  @Test
  void shouldWaitOneCycleForTheOtherInstancesPartialsAndNoMore() throws Exception {
    LocalLakeStorage reference = new LocalLakeStorage(root.resolve("reference"));
    LocalLakeStorage lake = new LocalLakeStorage(root.resolve("lake"));
    LocalLakeStorage abandoned = new LocalLakeStorage(root.resolve("abandoned"));
    List<GenericRecord> rows = landAll(reference);
    landAll(lake);
    landAll(abandoned);
    compactor(reference).runOnce(0);
    BatchCompactor compactor = compactor(lake);
    BatchCompactor alone = compactor(abandoned);

    // this instance lands partition 0 only: the closed hours wait for partitions 1 and 2, and
    // meanwhile it folds partition 0 into partials
    assertThat(compactor.runOnce(0, (topic, p) -> p == 0)).isZero();
    assertThat(alone.runOnce(0, (topic, p) -> p == 0)).isZero();
    assertThat(compactor.partialWriter().partitionHoursWritten()).isEqualTo(HOURS.size());
    assertThat(new BatchViewReader(lake).watermark("pages").orElse(0))
        .isLessThanOrEqualTo(HOURS.get(0));
    writer(lake).runOnce(0, (topic, p) -> p != 0);
    compactor.runOnce(0, (topic, p) -> p == 0);
    // the other instance never wrote its partials: the next cycle folds them here
    alone.runOnce(0, (topic, p) -> p == 0);

    assertThat(compactor.partitionSources().fromPartials()).isEqualTo(PARTITIONS * HOURS.size());
    assertThat(compactor.partitionSources().folded()).isZero();
    assertThat(alone.partitionSources().fromPartials()).isEqualTo(HOURS.size());
    assertThat(alone.partitionSources().folded()).isEqualTo((PARTITIONS - 1) * HOURS.size());
    for (LocalLakeStorage compacted : List.of(lake, abandoned)) {
      assertSameViews(compacted, reference);
      assertEqualsDirectFold(compacted, rows);
    }
  }

  private static void delete(PartialStore store, LakeLayout.PartialFile partial) {
    try {
      store.delete(partial);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static BatchCompactor compactor(LakeStorage lake) {
    return new BatchCompactor(
        lake,
        List.of(SPEC),
        CATALOG,
        new WatermarkPolicy(Duration.ofMinutes(10), Duration.ofMinutes(5)),
        topic -> TopicInputs.withoutUpstream(PARTITIONS));
  }

  private static PartialWriter writer(LakeStorage lake) {
    return new PartialWriter(
        lake, List.of(SPEC), CATALOG, Duration.ofMinutes(10), Duration.ofMinutes(5));
  }

  /** Lands two small files per partition and hour, commits them, and returns every row. */
  private static List<GenericRecord> landAll(LocalLakeStorage lake) throws Exception {
    List<GenericRecord> all = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      long offset = 0;
      for (long hour : HOURS) {
        for (int f = 0; f < 2; f++) {
          List<GenericRecord> rows = new ArrayList<>();
          for (int i = 0; i < ROWS_PER_FILE; i++) {
            rows.add(hit(hour + (f * ROWS_PER_FILE + i) * 45_000L, p, i));
          }
          land(lake, p, hour, offset, rows);
          offset += rows.size();
          all.addAll(rows);
        }
      }
      commit(lake, p, offset);
    }
    return all;
  }

  private static GenericRecord hit(long time, int partition, int i) {
    return new GenericRecordBuilder(AccessLogEvent.getClassSchema())
        .set("client", "10.0." + partition + "." + (i % 11))
        .set("event_time", time)
        .set("path", "/p" + (i % 5))
        .set("status", i % 7 == 0 ? 404 : 200)
        .set("bytes", 100L + 37L * i + partition)
        .set("line_bytes", 80)
        .set("country", i % 3 == 0 ? "DE" : "US")
        .build();
  }

  private static LandedFile file(int partition, long hour, long first) {
    return new LandedFile(SPEC.dataset(), TOPIC, partition, first, first + ROWS_PER_FILE - 1, hour);
  }

  private static void land(
      LocalLakeStorage lake, int partition, long hour, long first, List<GenericRecord> rows)
      throws Exception {
    LandedFile file =
        new LandedFile(SPEC.dataset(), TOPIC, partition, first, first + rows.size() - 1, hour);
    Path staged = Files.createTempFile(lake.stagingDir(), "t", ".parquet");
    try (ParquetWriter<GenericRecord> w =
        ParquetFiles.writer(staged, AccessLogEvent.getClassSchema())) {
      for (GenericRecord r : rows) {
        w.write(r);
      }
    }
    lake.publish(staged, file.key());
  }

  private static void commit(LocalLakeStorage lake, int partition, long nextOffset)
      throws Exception {
    new ManifestStore(lake)
        .write(
            SPEC.dataset(),
            new PartitionManifest(TOPIC, partition, nextOffset, DAY + 13 * H, 0L, false, 0L));
  }

  /** Every published view hour holds the same rows, metric states byte for byte. */
  private static void assertSameViews(LakeStorage lake, LakeStorage reference) throws Exception {
    for (String view : VIEWS) {
      for (long hour : HOURS) {
        assertThat(viewRows(lake, view, hour))
            .as(view + " hour " + hour)
            .isNotEmpty()
            .isEqualTo(viewRows(reference, view, hour));
      }
    }
  }

  private static List<GenericRecord> viewRows(LakeStorage lake, String view, long hour)
      throws Exception {
    long version =
        new ViewManifestStore(lake).read().view(view, SPEC.dataset()).hours().get(hour).version();
    try (LakeStorage.LocalCopy copy = lake.localCopy(LakeLayout.viewFileKey(view, hour, version))) {
      return ParquetFiles.readAll(copy.path());
    }
  }

  private static void assertEqualsDirectFold(LakeStorage lake, List<GenericRecord> rows) {
    BatchViewReader reader = new BatchViewReader(lake);
    assertThat(reader.watermark("pages")).hasValue(DAY + 12 * H);
    for (String name : VIEWS) {
      ViewFolder view = CATALOG.folder(name);
      Map<GroupKey, Aggregate> batch = reader.read(view, DAY, DAY + 12 * H);
      Map<GroupKey, Aggregate> direct = view.fold(rows);
      assertThat(batch.keySet()).as(name).isEqualTo(direct.keySet());
      Map<GroupKey, Object> batchValues = new LinkedHashMap<>();
      Map<GroupKey, Object> directValues = new LinkedHashMap<>();
      batch.forEach((k, a) -> batchValues.put(k, List.of(a.records(), view.readOut(a))));
      direct.forEach((k, a) -> directValues.put(k, List.of(a.records(), view.readOut(a))));
      assertThat(batchValues).as(name).isEqualTo(directValues);
    }
  }

  private static void assertNoPartials(LakeStorage lake) throws Exception {
    for (String view : VIEWS) {
      assertThat(lake.list(LakeLayout.partialFolder(view))).as(view).isEmpty();
    }
    assertThat(Set.copyOf(lake.list(""))).noneMatch(k -> k.contains("/_partial/"));
  }
}
