package io.oxbow.batch.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.batch.BatchConfig;
import io.oxbow.batch.upstream.TopicInputs;
import io.oxbow.batch.view.BatchCompactor;
import io.oxbow.batch.view.WatermarkPolicy;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.lake.PublishedViewManifest;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.ViewCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention through the manifest: which files go against which clock, the manifest switched before
 * any file is deleted, and a crash between the two leaving only orphans the next pass deletes.
 */
class RetentionEnforcerTest {
  private static final Instant LAST_HOUR = Instant.parse("2015-05-20T10:00:00Z");
  private static final long NOW = Instant.parse("2026-12-05T09:00:00Z").toEpochMilli();

  /** The traffic view alone: the other views of the dataset would hold landed rows back. */
  private static final ViewCatalog VIEWS =
      ViewCatalog.of(List.of(ViewCatalog.defaults().folder("traffic").definition()));

  private static RetentionEnforcer enforcer(
      io.oxbow.lake.LakeStorage storage, Map<String, String> flags) {
    return new RetentionEnforcer(
        storage, List.of(RetentionLake.ENRICHED), VIEWS, BatchConfig.of(flags).retention());
  }

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void shouldJudgeAgeByTheDataItselfSoAReplayOfOldLogsIsKept(@TempDir Path root) throws Exception {
    try (LocalLakeStorage storage = new LocalLakeStorage(root)) {
      RetentionLake lake = new RetentionLake(root, storage, LAST_HOUR, 100);
      RetentionEnforcer retention = enforcer(storage, Map.of());

      retention.enforce(NOW);

      // the view's newest data ends 2015-05-20T11:00: minute files older than 30 days go, the
      // hour and day tiers stay (a wall clock in 2026 would have removed all of them)
      PublishedViewManifest published =
          new ViewManifestStore(storage).readPublished(RetentionLake.VIEW).orElseThrow();
      assertThat(published.retainedFrom(LakeLayout.FILES_TIER))
          .isEqualTo(at("2015-04-20T11:00:00Z"));
      assertThat(published.files().orElseThrow())
          .hasSize(30)
          .first()
          .isEqualTo("dt=2015-04-21/hour=10/traffic-v1.parquet");
      assertThat(published.tiers().get("1h")).hasSize(100);
      assertThat(published.tiers().get("1d")).hasSize(100);
      assertThat(lake.exists(LakeLayout.viewFileKey("traffic", at("2015-04-20T10:00:00Z"), 1)))
          .isFalse();
      assertThat(lake.exists(LakeLayout.viewFileKey("traffic", at("2015-04-21T10:00:00Z"), 1)))
          .isTrue();
      assertThat(
              lake.exists(LakeLayout.tierFileKey("traffic", "1h", at("2015-02-10T10:00:00Z"), 1)))
          .isTrue();
      assertThat(retention.removedFiles("files")).isEqualTo(70);
      assertThat(retention.removedFiles("1h")).isZero();

      // landed rows: 90 days before the newest landed event time (2015-05-20T10:30)
      assertThat(retention.removedFiles("landed")).isEqualTo(9);
      assertThat(LandedRetention.removedBefore(storage, "access_logs_enriched"))
          .isEqualTo(at("2015-02-19T10:00:00Z"));
      // an hour whose files went but whose landed rows are kept stays named (with the offsets it
      // covered) so it is not compacted again; one whose landed rows went too is forgotten
      ViewManifest.ViewState state = new ViewManifestStore(storage).read().views().get("traffic");
      assertThat(state.hours()).containsKey(at("2015-03-01T10:00:00Z"));
      assertThat(state.hours()).doesNotContainKey(at("2015-02-18T10:00:00Z"));

      assertThat(retention.enforce(NOW)).as("a second pass removes nothing").isZero();
    }
  }

  @Test
  void shouldRemoveByTheWallClockWhenAskedKeepingTheDayTier(@TempDir Path root) throws Exception {
    try (LocalLakeStorage storage = new LocalLakeStorage(root)) {
      new RetentionLake(root, storage, LAST_HOUR, 100);
      RetentionEnforcer retention =
          enforcer(storage, Map.of("batch.retention.clock", "wall-clock"));

      retention.enforce(NOW);

      PublishedViewManifest published =
          new ViewManifestStore(storage).readPublished(RetentionLake.VIEW).orElseThrow();
      assertThat(published.files().orElseThrow()).isEmpty();
      assertThat(published.tiers().get("1h")).isEmpty();
      assertThat(published.tiers().get("1d")).hasSize(100);
      assertThat(retention.removedFiles("files")).isEqualTo(100);
      assertThat(retention.removedFiles("1h")).isEqualTo(100);
      assertThat(retention.removedFiles("1d")).isZero();
      assertThat(retention.removedFiles("landed")).isEqualTo(100);
    }
  }

  @Test
  void shouldSwitchTheManifestBeforeDeletingAnyFileOfIt(@TempDir Path root) throws Exception {
    try (LocalLakeStorage local = new LocalLakeStorage(root)) {
      new RetentionLake(root, local, LAST_HOUR, 100);
      RecordingLake storage = new RecordingLake(local, Integer.MAX_VALUE);

      enforcer(storage, Map.of()).enforce(NOW);

      List<String> ops = storage.operations;
      int manifest = ops.indexOf("put " + ViewManifest.KEY);
      int published = ops.indexOf("put " + LakeLayout.viewManifestKey("traffic"));
      int record = ops.indexOf("put " + LakeLayout.landedRetentionKey("access_logs_enriched"));
      assertThat(manifest).isNotNegative();
      assertThat(published).isGreaterThan(manifest);
      for (int i = 0; i < ops.size(); i++) {
        if (ops.get(i).startsWith("delete views/")) {
          assertThat(i).as(ops.get(i)).isGreaterThan(published);
        } else if (ops.get(i).startsWith("delete access_logs_enriched/")) {
          assertThat(i).as(ops.get(i)).isGreaterThan(record);
        }
      }
      assertThat(ops.stream().filter(o -> o.startsWith("delete views/"))).hasSize(70);
    }
  }

  @Test
  void shouldLeaveOnlyOrphansWhenKilledAfterTheSwitchAndDeleteThemNextPass(@TempDir Path root)
      throws Exception {
    try (LocalLakeStorage local = new LocalLakeStorage(root)) {
      RetentionLake lake = new RetentionLake(root, local, LAST_HOUR, 100);
      // the 9 landed files and 3 view files are deleted, then the process dies
      RecordingLake dying = new RecordingLake(local, 12);
      assertThatThrownBy(() -> enforcer(dying, Map.of()).enforce(NOW))
          .isInstanceOf(IOException.class);

      // readers already see the new manifest: no removed hour is named, so none is half there
      PublishedViewManifest published =
          new ViewManifestStore(local).readPublished(RetentionLake.VIEW).orElseThrow();
      assertThat(published.files().orElseThrow()).hasSize(30);
      long orphans =
          lake.hours.stream()
              .filter(h -> lake.exists(LakeLayout.viewFileKey("traffic", h, 1)))
              .count();
      assertThat(orphans).isEqualTo(30 + 67);

      // the restarted loader's first pass finds and deletes them
      RetentionEnforcer restarted = enforcer(local, Map.of());
      restarted.enforce(NOW);
      assertThat(restarted.removedFiles("files")).isEqualTo(67);
      assertThat(
              lake.hours.stream()
                  .filter(h -> lake.exists(LakeLayout.viewFileKey("traffic", h, 1)))
                  .count())
          .isEqualTo(30);
    }
  }

  @Test
  void shouldKeepLandedRowsTheViewsHaveNotCompactedYetWhateverTheirAge(@TempDir Path root)
      throws Exception {
    try (LocalLakeStorage storage = new LocalLakeStorage(root)) {
      new RetentionLake(root, storage, LAST_HOUR, 100);
      // a replay of 100 days landed at once: the views have compacted only up to 02-12 so far
      ViewManifestStore store = new ViewManifestStore(storage);
      ViewManifest manifest = store.read();
      store.write(
          manifest.with(
              "traffic",
              manifest.views().get("traffic").withWatermark(at("2015-02-12T00:00:00Z"))));
      RetentionEnforcer retention = enforcer(storage, Map.of());

      retention.enforce(NOW);

      assertThat(LandedRetention.removedBefore(storage, "access_logs_enriched"))
          .isEqualTo(at("2015-02-12T00:00:00Z"));
      assertThat(retention.removedFiles("landed")).isEqualTo(2);
      assertThat(retention.removedFiles("files")).isZero();
    }
  }

  @Test
  void shouldRefuseToRecomputeARangeWhoseLandedRowsAreGone(@TempDir Path root) throws Exception {
    try (LocalLakeStorage storage = new LocalLakeStorage(root)) {
      new RetentionLake(root, storage, LAST_HOUR, 100);
      enforcer(storage, Map.of()).enforce(NOW);

      assertThatThrownBy(
              () ->
                  RetentionEnforcer.checkRecompute(
                      storage,
                      List.of(RetentionLake.ENRICHED),
                      VIEWS,
                      at("2015-02-15T00:00:00Z"),
                      at("2015-03-01T00:00:00Z")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[2015-02-15T00:00:00Z, 2015-03-01T00:00:00Z)")
          .hasMessageContaining("before 2015-02-19T10:00:00Z")
          .hasMessageContaining("batch.retention.landed");
      RetentionEnforcer.checkRecompute(
          storage,
          List.of(RetentionLake.ENRICHED),
          VIEWS,
          at("2015-02-19T10:00:00Z"),
          at("2015-03-01T00:00:00Z"));
    }
  }

  @Test
  void shouldNotRefoldAnHourWhoseOtherLandedRowsRetentionRemoved(@TempDir Path root)
      throws Exception {
    try (LocalLakeStorage storage = new LocalLakeStorage(root)) {
      RetentionLake lake = new RetentionLake(root, storage, LAST_HOUR, 100);
      enforcer(storage, Map.of()).enforce(NOW);
      long old = lake.hours.get(0);
      assertThat(LandedRetention.removedBefore(storage, "access_logs_enriched")).isGreaterThan(old);
      ViewManifestStore store = new ViewManifestStore(storage);
      ViewManifest.ViewState before =
          store.read().view("traffic", RetentionLake.ENRICHED.dataset());
      // a second replay of old logs lands one more file in an hour retention emptied
      lake.land(storage, old, 1000, 1009);

      new BatchCompactor(
              storage,
              List.of(RetentionLake.ENRICHED),
              VIEWS,
              new WatermarkPolicy(Duration.ofMinutes(10), Duration.ofMinutes(5)),
              topic -> TopicInputs.withoutUpstream(1))
          .runOnce(NOW);

      // the hour was not folded from that file alone (which would also have re-folded its hour
      // and day tiers from a fraction of the hour): the view is as retention left it
      ViewManifest.ViewState after = store.read().view("traffic", RetentionLake.ENRICHED.dataset());
      assertThat(after.hours()).isEqualTo(before.hours()).doesNotContainKey(old);
      assertThat(after.tier("1h")).isEqualTo(before.tier("1h"));
      assertThat(after.tier("1d")).isEqualTo(before.tier("1d"));
    }
  }
}
