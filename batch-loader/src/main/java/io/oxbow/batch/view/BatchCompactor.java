package io.oxbow.batch.view;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.upstream.TopicInputs;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch layer's cycle ({@link #runOnce}): for every dataset that feeds views, find up to where
 * its hours are closed ({@link WatermarkPolicy}); compact every closed hour that is new or has
 * received late rows since it was last compacted (small files merged by {@link LandedCompactor},
 * rows folded into each view by the views module's fold code, a new version published and switched
 * to in the {@link ViewManifest}, together with the hour and day aggregates of its roll-up tiers
 * ({@link TierFolder}); then advance each view's watermark. {@link #recompute} rebuilds a time
 * range from the landed data whatever its state.
 *
 * <p>One compactor runs per lake (in the loader instance that owns partition 0 of the first
 * dataset's topic). Late rows are recognised without reading data: a closed hour whose landed files
 * now cover more offsets than when it was compacted has received rows.
 */
public final class BatchCompactor {
  private static final Logger log = LoggerFactory.getLogger(BatchCompactor.class);

  private final LakeStorage storage;
  private final ManifestStore partitionManifests;
  private final ViewManifestStore viewManifests;
  private final LandedCompactor landed;
  private final TierFolder tiers;
  private final List<DatasetSpec> datasets;
  private final ViewCatalog catalog;
  private final WatermarkPolicy policy;
  private final Function<String, TopicInputs> inputs;
  private final Map<String, WatermarkDecision> decisions = new ConcurrentHashMap<>();

  /**
   * A compactor.
   *
   * @param datasets the landed datasets; a view folds the dataset whose {@code viewSource} is the
   *     view's source
   * @param inputs per landed topic, what Kafka says about it (asked anew every cycle)
   */
  public BatchCompactor(
      LakeStorage storage,
      List<DatasetSpec> datasets,
      ViewCatalog catalog,
      WatermarkPolicy policy,
      Function<String, TopicInputs> inputs) {
    this.storage = storage;
    this.partitionManifests = new ManifestStore(storage);
    this.viewManifests = new ViewManifestStore(storage);
    this.landed = new LandedCompactor(storage);
    this.tiers = new TierFolder(storage);
    this.datasets = List.copyOf(datasets);
    this.catalog = catalog;
    this.policy = policy;
    this.inputs = inputs;
  }

  /**
   * One cycle at wall-clock time {@code now}.
   *
   * @return the hours (re-)compacted, over all views
   */
  public int runOnce(long now) throws IOException {
    int compacted = 0;
    for (DatasetSpec dataset : datasets) {
      List<ViewFolder> views = viewsOf(dataset);
      if (views.isEmpty()) {
        continue;
      }
      WatermarkDecision decision =
          policy.decide(
              dataset.topic(),
              partitionManifests.readAll(dataset.dataset()),
              now,
              inputs.apply(dataset.topic()));
      WatermarkDecision previous = decisions.put(dataset.topic(), decision);
      if (previous == null || !previous.reason().equals(decision.reason())) {
        log.info("watermark of {}: {}", dataset.topic(), decision.reason());
      }
      long closed = decision.closedUpTo();
      if (closed == Long.MIN_VALUE) {
        continue;
      }
      compacted += compactBelow(dataset, views, Long.MIN_VALUE, closed, false);
      ViewManifest manifest = viewManifests.read();
      for (ViewFolder view : views) {
        ViewManifest.ViewState state = manifest.view(view.name(), dataset.dataset());
        if (closed > state.watermark()) {
          manifest = manifest.with(view.name(), state.withWatermark(closed));
        }
      }
      viewManifests.write(manifest);
    }
    return compacted;
  }

  /** The last cycle's watermark decision per landed topic (feeding views), for status. */
  public Map<String, WatermarkDecision> decisions() {
    return Map.copyOf(decisions);
  }

  /**
   * Rebuilds every view's hours in {@code [from, to)} from the landed data (new versions), e.g.
   * after a view definition changed. Hours not yet closed are left to the regular cycle.
   *
   * @return the hours rebuilt
   */
  public int recompute(long from, long to) throws IOException {
    int rebuilt = 0;
    for (DatasetSpec dataset : datasets) {
      List<ViewFolder> views = viewsOf(dataset);
      if (!views.isEmpty()) {
        rebuilt += compactBelow(dataset, views, LandedFile.hourOf(from), to, true);
      }
    }
    return rebuilt;
  }

  private List<ViewFolder> viewsOf(DatasetSpec dataset) {
    return catalog.folders().stream()
        .filter(v -> v.definition().source().id().equals(dataset.viewSource()))
        .toList();
  }

  private int compactBelow(
      DatasetSpec dataset, List<ViewFolder> views, long from, long to, boolean force)
      throws IOException {
    // only committed files: one published but not yet in its manifest may still be adopted or
    // removed by the landing recovery, and must not be merged into a file reaching past the commit
    Map<Integer, Long> committed = new HashMap<>();
    partitionManifests
        .readAll(dataset.dataset())
        .forEach(m -> committed.put(m.partition(), m.nextOffset()));
    Map<Long, List<LandedFile>> byHour = new TreeMap<>();
    for (String key : storage.list(dataset.dataset())) {
      LandedFile.parse(key)
          .filter(f -> f.hourStart() >= from && f.hourStart() + LandedFile.HOUR_MS <= to)
          .filter(f -> f.lastOffset() < committed.getOrDefault(f.partition(), 0L))
          .ifPresent(f -> byHour.computeIfAbsent(f.hourStart(), h -> new ArrayList<>()).add(f));
    }
    int compacted = 0;
    tiers.forget();
    for (var hour : byHour.entrySet()) {
      long covered = hour.getValue().stream().mapToLong(LandedFile::offsetCount).sum();
      ViewManifest manifest = viewManifests.read();
      List<ViewFolder> stale = new ArrayList<>();
      for (ViewFolder view : views) {
        ViewManifest.HourVersion v =
            manifest.view(view.name(), dataset.dataset()).hours().get(hour.getKey());
        if (force || v == null || v.coveredOffsets() != covered) {
          stale.add(view);
        }
      }
      if (stale.isEmpty()) {
        continue;
      }
      List<LandedFile> files = landed.compactHour(landed.removeCovered(hour.getValue()));
      Map<String, HourFolder.Folded> folded = HourFolder.fold(storage, stale, files);
      for (ViewFolder view : stale) {
        manifest =
            publish(manifest, dataset, view, hour.getKey(), folded.get(view.name()), covered);
        compacted++;
      }
    }
    return compacted;
  }

  private ViewManifest publish(
      ViewManifest manifest,
      DatasetSpec dataset,
      ViewFolder view,
      long hour,
      HourFolder.Folded folded,
      long covered)
      throws IOException {
    ViewManifest.ViewState state = manifest.view(view.name(), dataset.dataset());
    ViewManifest.HourVersion previous = state.hours().get(hour);
    long version = previous == null ? 1 : previous.version() + 1;
    Path staged = HourFolder.write(storage.stagingDir(), view, folded.groups());
    storage.publish(staged, LakeLayout.viewFileKey(view.name(), hour, version));
    state =
        state.withHour(
            hour,
            new ViewManifest.HourVersion(version, covered, folded.rows(), folded.groups().size()));
    // the hour's tier files are switched to in the same manifest as the hour's own file
    TierFolder.Published tiered = tiers.publish(view, state, hour, folded.groups());
    ViewManifest next = manifest.with(view.name(), tiered.state());
    viewManifests.write(next);
    String folder = LakeLayout.hourFolder(LakeLayout.viewFolder(view.name()), hour);
    String current = LakeLayout.viewFileKey(view.name(), hour, version);
    for (String key : storage.list(folder)) {
      if (!key.equals(current)) {
        storage.delete(key);
      }
    }
    for (String key : tiered.replaced()) {
      storage.delete(key);
    }
    log.info(
        "view {} hour {}: version {} ({} rows, {} groups)",
        view.name(),
        folder,
        version,
        folded.rows(),
        folded.groups().size());
    return next;
  }
}
