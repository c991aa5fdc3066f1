package io.oxbow.serving;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.lake.PublishedViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.serving.lake.ParquetBatchViews;
import io.oxbow.serving.query.QueryEngine;
import io.oxbow.serving.query.QueryException;
import io.oxbow.serving.query.QueryLimits;
import io.oxbow.serving.query.QueryResult;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
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

  private LakeStorage storage() {
    return new LocalLakeStorage(lake);
  }

  private PublishedViewManifest published() throws Exception {
    return new ViewManifestStore(storage()).readPublished("traffic").orElseThrow();
  }

  @Test
  void shouldReadTheListedFilesOfTheRangeAndTheWatermark() throws Exception {
    Map<GroupKey, Aggregate> groups = TRAFFIC.fold(events);
    new Pipeline("unused", lake).publishBatch(TRAFFIC, groups, T0.plusSeconds(7_200));
    ParquetBatchViews batch = new ParquetBatchViews(storage());

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
    String first = published().fileKeys().orElseThrow().get(0);
    LakeStorage storage = storage();
    storage.putAtomic(
        LakeLayout.viewManifestKey("traffic"),
        ("{\"watermark\":\"" + T0 + "\"}").getBytes(StandardCharsets.UTF_8));
    Path hidden = Files.createTempFile(lake, "copy", ".parquet");
    Files.copy(lake.resolve(first), hidden, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    storage.publish(hidden, first.substring(0, first.lastIndexOf('/')) + "/_old.parquet");
    ParquetBatchViews batch = new ParquetBatchViews(storage);

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
  void shouldGiveANewVersionForEveryPublicationWithoutListingTheFolder() throws Exception {
    Pipeline pipeline = new Pipeline("unused", lake);
    AtomicInteger listings = new AtomicInteger();
    ParquetBatchViews batch = new ParquetBatchViews(listingCounted(listings));
    assertThat(batch.version("traffic", 0, Long.MAX_VALUE)).isEmpty();

    pipeline.publishBatch(TRAFFIC, TRAFFIC.fold(events.subList(0, 1)), T0.plusSeconds(3_600));
    Object first = batch.version("traffic", 0, Long.MAX_VALUE).orElseThrow();
    assertThat(batch.version("traffic", 0, Long.MAX_VALUE)).hasValue(first);

    pipeline.publishBatch(TRAFFIC, TRAFFIC.fold(events.subList(0, 1)), T0.plusSeconds(7_200));
    Object moved = batch.version("traffic", 0, Long.MAX_VALUE).orElseThrow();
    pipeline.publishBatch(TRAFFIC, TRAFFIC.fold(events), T0.plusSeconds(7_200));
    Object republished = batch.version("traffic", 0, Long.MAX_VALUE).orElseThrow();

    assertThat(moved).isNotEqualTo(first);
    assertThat(republished).isNotEqualTo(moved);
    // the manifest names every file, and a named file is never rewritten: it is the version
    assertThat(listings).hasValue(0);
  }

  @Test
  void shouldGiveANewVersionForARewrittenFileWhenTheManifestListsNone() throws Exception {
    new Pipeline("unused", lake).publishBatch(TRAFFIC, TRAFFIC.fold(events), T0);
    String listed = published().fileKeys().orElseThrow().get(0);
    storage()
        .putAtomic(
            LakeLayout.viewManifestKey("traffic"),
            ("{\"watermark\":\"" + T0 + "\"}").getBytes(StandardCharsets.UTF_8));
    ParquetBatchViews batch = new ParquetBatchViews(storage());
    Object before = batch.version("traffic", 0, Long.MAX_VALUE).orElseThrow();

    // the file rewritten in place by another tool: same manifest, other content
    Path other = Files.createTempFile(lake, "other", ".parquet");
    Files.write(other, Files.readAllBytes(lake.resolve(listed)));
    Files.write(other, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
    storage().publish(other, listed);

    assertThat(batch.version("traffic", 0, Long.MAX_VALUE))
        .isPresent()
        .isNotEqualTo(Optional.of(before));
  }

  @Test
  void shouldAnswerARepeatedQueryFromTheCacheWithoutListingTheFolderAndAsBefore() throws Exception {
    new Pipeline("unused", lake).publishBatch(TRAFFIC, TRAFFIC.fold(events), T0.plusSeconds(7_200));
    AtomicInteger listings = new AtomicInteger();
    QueryEngine cached =
        new QueryEngine(
            ViewCatalog.defaults(),
            new ParquetBatchViews(listingCounted(listings)),
            (view, from, to) -> Map.of(),
            QueryLimits.DEFAULTS);
    QueryEngine uncached =
        new QueryEngine(
            ViewCatalog.defaults(),
            new ParquetBatchViews(storage(), 0, 0),
            (view, from, to) -> Map.of(),
            QueryLimits.DEFAULTS,
            0,
            0);
    Map<String, List<String>> params =
        Map.of(
            "from", List.of(T0.toString()),
            "to", List.of(T0.plusSeconds(7_200).toString()),
            "granularity", List.of("hour"),
            "groupBy", List.of("country"),
            "metrics", List.of("requests,bytes,visitors,top_paths"));

    String first = json(cached.query("traffic", params));
    int afterFirst = listings.get();
    String second = json(cached.query("traffic", params));

    assertThat(afterFirst).as("the first query lists the folder to read its files").isPositive();
    assertThat(listings).as("the repeated query lists nothing").hasValue(afterFirst);
    assertThat(second).isEqualTo(first).isEqualTo(json(uncached.query("traffic", params)));
  }

  private LakeStorage listingCounted(AtomicInteger listings) {
    return new ForwardingLakeStorage(storage()) {
      @Override
      public List<StoredObject> listObjects(String prefix) throws java.io.IOException {
        listings.incrementAndGet();
        return lake.listObjects(prefix);
      }
    };
  }

  private static String json(QueryResult result) throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator json =
        new com.fasterxml.jackson.databind.ObjectMapper().createGenerator(out)) {
      result.writeJson(json);
    }
    return out.toString();
  }

  @Test
  void shouldReadTheNewVersionWhenTheCompactorReplacedTheOneTheManifestNamed() throws Exception {
    Map<GroupKey, Aggregate> groups = TRAFFIC.fold(events);
    Pipeline pipeline = new Pipeline("unused", lake);
    pipeline.publishBatch(TRAFFIC, groups, T0.plusSeconds(7_200));
    PublishedViewManifest old = published();
    // the compactor writes version 2, publishes its manifest and removes version 1
    pipeline.publishBatch(TRAFFIC, groups, T0.plusSeconds(7_200));
    assertThat(Files.exists(lake.resolve(old.fileKeys().orElseThrow().get(0)))).isFalse();
    AtomicInteger manifestReads = new AtomicInteger();
    ViewManifestStore store = new ViewManifestStore(storage());
    // a query read the manifest just before that: its first read names the removed files
    ParquetBatchViews batch =
        new ParquetBatchViews(
            storage(),
            1 << 20,
            100,
            view ->
                manifestReads.getAndIncrement() == 0
                    ? Optional.of(old)
                    : store.readPublished(view));

    Map<GroupKey, Aggregate> read =
        batch.read(TRAFFIC, T0.toEpochMilli(), T0.plusSeconds(7_200).toEpochMilli());

    assertThat(read.keySet()).isEqualTo(groups.keySet());
    assertThat(manifestReads).hasValue(2);
  }

  @Test
  void shouldAnswer503NotAnErrorWhenTheListedFilesStayGone() throws Exception {
    new Pipeline("unused", lake).publishBatch(TRAFFIC, TRAFFIC.fold(events), T0);
    storage().delete(published().fileKeys().orElseThrow().get(0));
    ParquetBatchViews batch = new ParquetBatchViews(storage());

    assertThatThrownBy(
            () -> batch.read(TRAFFIC, T0.toEpochMilli(), T0.plusSeconds(7_200).toEpochMilli()))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("was replaced while it was read; retry later");
  }

  @Test
  void shouldAnswer503NotAnErrorWhenTheManifestCannotBeRead() throws Exception {
    new Pipeline("unused", lake).publishBatch(TRAFFIC, TRAFFIC.fold(events), T0);
    storage().putAtomic(LakeLayout.viewManifestKey("traffic"), new byte[] {'{'});
    ParquetBatchViews batch = new ParquetBatchViews(storage());

    assertThatThrownBy(() -> batch.watermark("traffic"))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("cannot be read from the lake now");
  }

  @Test
  void shouldBoundTheDecodedFilesKeptByBytesAndNumber() throws Exception {
    List<AccessLogEvent> day = new ArrayList<>();
    for (int hour = 0; hour < 24; hour++) {
      day.add(hit(T0.plusSeconds(hour * 3_600L), "c" + hour, "DE", 200, "/"));
    }
    new Pipeline("unused", lake).publishBatch(TRAFFIC, TRAFFIC.fold(day), T0);
    long from = T0.toEpochMilli();
    long to = T0.plusSeconds(24 * 3_600L).toEpochMilli();
    ParquetBatchViews fewFiles = new ParquetBatchViews(storage(), 1 << 30, 5);
    ParquetBatchViews fewBytes = new ParquetBatchViews(storage(), 4_096, 1_000);
    ParquetBatchViews none = new ParquetBatchViews(storage(), 0, 0);

    assertThat(fewFiles.read(TRAFFIC, from, to)).hasSize(24);
    assertThat(fewBytes.read(TRAFFIC, from, to)).hasSize(24);
    assertThat(none.read(TRAFFIC, from, to)).hasSize(24);

    assertThat(fewFiles.cachedFiles()).isEqualTo(5);
    assertThat(fewBytes.cachedBytes()).isPositive().isLessThanOrEqualTo(4_096);
    assertThat(fewBytes.cachedFiles()).isBetween(1, 23);
    assertThat(none.cachedFiles()).isZero();
  }
}
