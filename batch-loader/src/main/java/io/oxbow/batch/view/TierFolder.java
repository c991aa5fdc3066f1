package io.oxbow.batch.view;

import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.views.Aggregate;
import io.oxbow.views.AggregateCodec;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import io.oxbow.views.WindowSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The roll-up tiers of the batch views: when an hour of a view is (re-)compacted, its groups are
 * folded with the view's monoids ({@link ViewFolder#rollUp}, the code the queries roll up with, so
 * sketches merge exactly) into the hour's aggregate ({@code 1h} tier) and the day that holds it is
 * folded anew from its hours ({@code 1d} tier). A view gets only the tiers coarser than its own
 * window: a {@code 1m} or {@code 5m} view both, a {@code 1h} view the day tier, a {@code 1d} view
 * none.
 *
 * <p>The day is folded from the hour tier's groups of its other hours, taken from this cycle's
 * folds when there, else from the hour tier's current file, else (an hour compacted before the view
 * had tiers) from the hour's own file, whose hour tier is then published too. So a day file always
 * holds every hour of its day the manifest lists. Not thread-safe: one per compactor.
 */
final class TierFolder {
  private final LakeStorage storage;
  private final Map<String, Map<Long, Map<GroupKey, Aggregate>>> hoursOfDay = new HashMap<>();

  TierFolder(LakeStorage storage) {
    this.storage = storage;
  }

  /** The tiers of {@code view}: those whose window is coarser than the view's. */
  static List<String> tiersOf(ViewFolder view) {
    List<String> tiers = new ArrayList<>();
    for (String tier : LakeLayout.TIERS) {
      if (LakeLayout.tierMillis(tier) > view.definition().window().millis()) {
        tiers.add(tier);
      }
    }
    return tiers;
  }

  /** The folder of {@code view} at the window of {@code tier}: same dimensions and metrics. */
  static ViewFolder folderOf(ViewFolder view, String tier) {
    WindowSize window =
        LakeLayout.HOUR_TIER.equals(tier) ? WindowSize.ONE_HOUR : WindowSize.ONE_DAY;
    return view.rolledUp(window, view.definition().dimensions());
  }

  /**
   * The outcome of folding one hour into the tiers.
   *
   * @param state the view's state with the new tier buckets (not yet written)
   * @param replaced files of the replaced tier versions, to delete once the manifest is switched
   */
  record Published(ViewManifest.ViewState state, List<String> replaced) {}

  /**
   * Writes the tier files of {@code hour} of {@code view} (the hour's groups {@code groups}) and
   * returns the view's state naming them.
   *
   * @param state the view's state, already naming the hour's new version
   */
  Published publish(
      ViewFolder view, ViewManifest.ViewState state, long hour, Map<GroupKey, Aggregate> groups)
      throws IOException {
    List<String> tiers = tiersOf(view);
    List<String> replaced = new ArrayList<>();
    ViewManifest.HourVersion hourVersion = state.hours().get(hour);
    Map<GroupKey, Aggregate> hourGroups = groups;
    if (tiers.contains(LakeLayout.HOUR_TIER)) {
      hourGroups = view.rollUp(groups, folderOf(view, LakeLayout.HOUR_TIER));
      state = put(view, state, LakeLayout.HOUR_TIER, hour, hourGroups, hourVersion, replaced);
    }
    if (tiers.contains(LakeLayout.DAY_TIER)) {
      long day = Math.floorDiv(hour, LakeLayout.DAY_MS) * LakeLayout.DAY_MS;
      Map<Long, Map<GroupKey, Aggregate>> memo =
          hoursOfDay.computeIfAbsent(view.name(), v -> new HashMap<>());
      memo.keySet().removeIf(h -> h < day || h >= day + LakeLayout.DAY_MS);
      memo.put(hour, hourGroups);
      Map<GroupKey, Aggregate> dayGroups = new TreeMap<>();
      long covered = 0;
      long rows = 0;
      for (var h : new TreeMap<>(state.hours()).subMap(day, day + LakeLayout.DAY_MS).entrySet()) {
        Map<GroupKey, Aggregate> of = memo.get(h.getKey());
        if (of == null) {
          of = hourOf(view, state, h.getKey(), h.getValue());
          if (tiers.contains(LakeLayout.HOUR_TIER)
              && !state.tier(LakeLayout.HOUR_TIER).containsKey(h.getKey())) {
            state = put(view, state, LakeLayout.HOUR_TIER, h.getKey(), of, h.getValue(), replaced);
          }
          memo.put(h.getKey(), of);
        }
        covered += h.getValue().coveredOffsets();
        rows += h.getValue().rows();
        of.forEach((k, a) -> dayGroups.merge(k, a, (x, y) -> view.merge(x.copy(), y)));
      }
      Map<GroupKey, Aggregate> rolled = view.rollUp(dayGroups, folderOf(view, LakeLayout.DAY_TIER));
      ViewManifest.HourVersion dayVersion =
          new ViewManifest.HourVersion(0, covered, rows, rolled.size());
      state = put(view, state, LakeLayout.DAY_TIER, day, rolled, dayVersion, replaced);
    }
    return new Published(state, replaced);
  }

  /** Forgets the hours kept from earlier folds (at the start of a compaction run). */
  void forget() {
    hoursOfDay.clear();
  }

  /**
   * The hour-tier groups of an hour of {@code view} not folded in this run: its hour tier's file,
   * or its own file rolled up.
   */
  private Map<GroupKey, Aggregate> hourOf(
      ViewFolder view, ViewManifest.ViewState state, long hour, ViewManifest.HourVersion own)
      throws IOException {
    ViewManifest.HourVersion tiered = state.tier(LakeLayout.HOUR_TIER).get(hour);
    if (tiered != null) {
      return read(
          view, LakeLayout.tierFileKey(view.name(), LakeLayout.HOUR_TIER, hour, tiered.version()));
    }
    Map<GroupKey, Aggregate> groups =
        read(view, LakeLayout.viewFileKey(view.name(), hour, own.version()));
    return tiersOf(view).contains(LakeLayout.HOUR_TIER)
        ? view.rollUp(groups, folderOf(view, LakeLayout.HOUR_TIER))
        : groups;
  }

  private Map<GroupKey, Aggregate> read(ViewFolder view, String key) throws IOException {
    Map<GroupKey, Aggregate> groups = new TreeMap<>();
    AggregateCodec codec = view.codec();
    try (LakeStorage.LocalCopy copy = storage.localCopy(key)) {
      ParquetFiles.read(
          copy.path(), row -> groups.merge(codec.keyOf(row), codec.fromAvro(row), view::merge));
    }
    return groups;
  }

  /** Publishes one tier bucket's file as the next version and names it in the state. */
  private ViewManifest.ViewState put(
      ViewFolder view,
      ViewManifest.ViewState state,
      String tier,
      long start,
      Map<GroupKey, Aggregate> groups,
      ViewManifest.HourVersion from,
      List<String> replaced)
      throws IOException {
    ViewManifest.HourVersion previous = state.tier(tier).get(start);
    long version = previous == null ? 1 : previous.version() + 1;
    if (previous != null) {
      replaced.add(LakeLayout.tierFileKey(view.name(), tier, start, previous.version()));
    }
    Path staged = HourFolder.write(storage.stagingDir(), folderOf(view, tier), groups);
    storage.publish(staged, LakeLayout.tierFileKey(view.name(), tier, start, version));
    return state.withTierBucket(
        tier,
        start,
        new ViewManifest.HourVersion(version, from.coveredOffsets(), from.rows(), groups.size()));
  }
}
