package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.upstream.TopicInputs;
import io.oxbow.batch.view.BatchCompactor;
import io.oxbow.batch.view.BatchViewReader;
import io.oxbow.batch.view.WatermarkPolicy;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import io.oxbow.views.WindowSize;
import io.oxbow.views.metric.MetricValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBackendExtension.class)
class BatchViewIT {
  private static final String REGISTRY = "mock://batch-view-it";
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();

  @TempDir Path lake;

  @Test
  void shouldFoldClosedHoursLikeTheViewsModuleAndRecompactLateRows(KafkaBackend kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String topic = "access-logs.enriched-view-it";
    DatasetSpec spec = DatasetSpec.of(topic, "event_time").feeding("access-logs.enriched");
    Topics.create(bootstrap, topic, 2);
    List<AccessLogEvent> events = new ArrayList<>(SampleEvents.load(1200));
    Topics.produce(bootstrap, REGISTRY, topic, events, v -> ((AccessLogEvent) v).getClient());
    LocalLakeStorage storage = new LocalLakeStorage(lake);
    BatchCompactor compactor =
        new BatchCompactor(
            storage,
            List.of(spec),
            CATALOG,
            new WatermarkPolicy(Duration.ofMinutes(10), Duration.ofMillis(500)),
            t -> TopicInputs.withoutUpstream(2));
    BatchViewReader reader = new BatchViewReader(storage);

    try (LandingRun run = new LandingRun(bootstrap, REGISTRY, "view-it", storage, spec, 40)) {
      LandingRun.awaitLanded(storage, spec, bootstrap, 2);
      // when every partition is caught up and idle, the wall clock closes the sample's hours
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                compactor.runOnce(System.currentTimeMillis());
                return reader.watermark("traffic").orElse(0) > lastEventTime(events);
              });
      long w = reader.watermark("traffic").getAsLong();
      for (String view : List.of("traffic", "pages", "errors")) {
        assertMatchesDirectFold(reader, CATALOG.folder(view), events, w);
      }
      // small files of each closed hour were merged: one file per partition and hour
      List<LandedFile> files = files(storage, spec);
      assertThat(files.stream().map(f -> f.hourStart() + "/" + f.partition()).distinct().count())
          .isEqualTo(files.size());
      LakeChecks.assertTiled(
          storage, spec.dataset(), topic, Topics.endOffsets(bootstrap, topic, 2));

      // late rows for a closed hour land and trigger a new version of that hour
      AccessLogEvent first = events.get(0);
      long hour = LandedFile.hourOf(first.getEventTime().toEpochMilli());
      List<AccessLogEvent> late = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        late.add(
            AccessLogEvent.newBuilder(first)
                .setEventTime(Instant.ofEpochMilli(hour + 60_000L * i))
                .setStatus(404)
                .build());
      }
      Topics.produce(bootstrap, REGISTRY, topic, late, v -> ((AccessLogEvent) v).getClient());
      events.addAll(late);
      LandingRun.awaitLanded(storage, spec, bootstrap, 2);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                compactor.runOnce(System.currentTimeMillis());
                return version(storage, "errors", hour) == 2;
              });
    }
    long w = reader.watermark("errors").getAsLong();
    for (String view : List.of("traffic", "pages", "errors")) {
      assertMatchesDirectFold(reader, CATALOG.folder(view), events, w);
      // the late rows re-folded the hour and day tiers: each equals the direct fold rolled up
      assertTiersMatchDirectFold(reader, CATALOG.folder(view), events);
    }
    ViewManifest.ViewState errors = new ViewManifestStore(storage).read().views().get("errors");
    assertThat(errors.tier(LakeLayout.HOUR_TIER).get(hour(events)).version()).isEqualTo(2);
    long day = Math.floorDiv(hour(events), LakeLayout.DAY_MS) * LakeLayout.DAY_MS;
    assertThat(errors.tier(LakeLayout.DAY_TIER).get(day).version()).isGreaterThanOrEqualTo(2);
    assertThat(storage.list(LakeLayout.tierFolder("errors", LakeLayout.DAY_TIER)))
        .containsExactly(
            LakeLayout.tierFileKey(
                "errors",
                LakeLayout.DAY_TIER,
                day,
                errors.tier(LakeLayout.DAY_TIER).get(day).version()));
    assertThat(storage.list(LakeLayout.hourFolder(LakeLayout.viewFolder("errors"), hour(events))))
        .containsExactly(LakeLayout.viewFileKey("errors", hour(events), 2));
  }

  private static long hour(List<AccessLogEvent> events) {
    return LandedFile.hourOf(events.get(0).getEventTime().toEpochMilli());
  }

  private static long version(LocalLakeStorage storage, String view, long hour) throws Exception {
    ViewManifest.ViewState state = new ViewManifestStore(storage).read().views().get(view);
    ViewManifest.HourVersion v = state == null ? null : state.hours().get(hour);
    return v == null ? 0 : v.version();
  }

  private static long lastEventTime(List<AccessLogEvent> events) {
    return events.stream().mapToLong(e -> e.getEventTime().toEpochMilli()).max().orElseThrow();
  }

  private static List<LandedFile> files(LocalLakeStorage storage, DatasetSpec spec)
      throws Exception {
    List<LandedFile> files = new ArrayList<>();
    for (String key : storage.list(spec.dataset())) {
      LandedFile.parse(key).ifPresent(files::add);
    }
    return files;
  }

  private static void assertTiersMatchDirectFold(
      BatchViewReader reader, ViewFolder view, List<AccessLogEvent> events) {
    Map<GroupKey, Aggregate> direct = view.fold(events);
    for (var tier : Map.of("1h", WindowSize.ONE_HOUR, "1d", WindowSize.ONE_DAY).entrySet()) {
      if (tier.getValue().millis() <= view.definition().window().millis()) {
        // a view has only the tiers coarser than its window
        assertThat(reader.readTier(view, tier.getKey(), Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
        continue;
      }
      ViewFolder target = view.rolledUp(tier.getValue(), view.definition().dimensions());
      Map<GroupKey, Map<String, MetricValue>> expected = new TreeMap<>();
      Map<GroupKey, Map<String, MetricValue>> actual = new TreeMap<>();
      view.rollUp(direct, target).forEach((k, a) -> expected.put(k, mergeFree(target.readOut(a))));
      reader
          .readTier(view, tier.getKey(), Long.MIN_VALUE, Long.MAX_VALUE)
          .forEach((k, a) -> actual.put(k, mergeFree(view.readOut(a))));
      assertThat(actual).as(view.name() + " tier " + tier.getKey()).isEqualTo(expected);
    }
  }

  /**
   * The read-out with each quantiles sketch reduced to what any merge order gives exactly (its n,
   * min and max): a KLL sketch's estimates depend on the order it was merged in, within its error.
   */
  private static Map<String, MetricValue> mergeFree(Map<String, MetricValue> values) {
    Map<String, MetricValue> out = new TreeMap<>();
    values.forEach(
        (name, value) ->
            out.put(
                name,
                value instanceof MetricValue.Quantiles q
                    ? new MetricValue.Quantiles(q.n(), q.min(), q.max(), 0, List.of())
                    : value));
    return out;
  }

  private static void assertMatchesDirectFold(
      BatchViewReader reader, ViewFolder view, List<AccessLogEvent> events, long watermark) {
    Map<GroupKey, Aggregate> direct = view.fold(events);
    Map<GroupKey, Aggregate> batch = reader.read(view, 0, watermark);
    assertThat(batch.keySet()).as(view.name() + " groups").isEqualTo(direct.keySet());
    Map<GroupKey, Map<String, MetricValue>> directValues = new TreeMap<>();
    Map<GroupKey, Map<String, MetricValue>> batchValues = new TreeMap<>();
    direct.forEach((k, a) -> directValues.put(k, view.readOut(a)));
    batch.forEach((k, a) -> batchValues.put(k, view.readOut(a)));
    assertThat(batchValues).as(view.name() + " metrics").isEqualTo(directValues);
    assertThat(batch.values().stream().mapToLong(Aggregate::records).sum())
        .isEqualTo(direct.values().stream().mapToLong(Aggregate::records).sum());
  }
}
