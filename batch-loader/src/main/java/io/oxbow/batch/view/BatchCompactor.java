package io.oxbow.batch.view;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.retention.LandedRetention;
import io.oxbow.batch.upstream.TopicInputs;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
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
 *
 * <p>The other instances fold the hours of the partitions they land into partial aggregates ahead
 * of it ({@link PartialWriter}); an hour's groups are merged per partition from those partials when
 * they were folded from exactly the partition's committed files of the hour, and folded here from
 * the files otherwise ({@link PartialMerger}), so the result never depends on another instance.
 * Partials no longer needed are removed at the end of each cycle; {@link #partitionSources} counts
 * which way each partition hour went.
 */
public final class BatchCompactor {
  private static final Logger log = LoggerFactory.getLogger(BatchCompactor.class);

  private final LakeStorage storage;
  private final ManifestStore partitionManifests;
  private final ViewManifestStore viewManifests;
  private final LandedCompactor landed;
  private final TierFolder tiers;
  private final HourPublisher publisher;
  private final List<DatasetSpec> datasets;
  private final ViewCatalog catalog;
  private final WatermarkPolicy policy;
  private final Function<String, TopicInputs> inputs;
  private final Map<String, WatermarkDecision> decisions = new ConcurrentHashMap<>();
  private final Map<String, Long> beyondRetention = new ConcurrentHashMap<>();
  private final PartitionSources sources = new PartitionSources();
  private final PartialMerger merger;
  private final PartialWriter ownPartials;
  // per dataset, the closed hours left for one cycle for partials, with the offsets they covered
  private final Map<String, Map<Long, Long>> waitedFor = new HashMap<>();

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
    this.publisher = new HourPublisher(storage, viewManifests, tiers);
    this.datasets = List.copyOf(datasets);
    this.catalog = catalog;
    this.policy = policy;
    this.inputs = inputs;
    this.merger = new PartialMerger(storage, landed, sources);
    this.ownPartials =
        new PartialWriter(
            storage, datasets, catalog, policy.allowedLateness(), policy.idleTimeout());
  }

  /**
   * The writer of this instance's partials: run it on an instance that does not compact; the
   * compacting one writes its own partials while it waits for the others' ({@link #runOnce(long,
   * BiPredicate)}).
   */
  public PartialWriter partialWriter() {
    return ownPartials;
  }

  /**
   * One cycle at wall-clock time {@code now} of the instance that lands every partition: nothing to
   * wait for, every partition without a current partial is folded here.
   *
   * @return the hours (re-)compacted, over all views
   */
  public int runOnce(long now) throws IOException {
    return runOnce(now, (topic, partition) -> true);
  }

  /**
   * One cycle at wall-clock time {@code now} of an instance that lands the partitions {@code
   * landedHere} accepts ({@code topic, partition}). A closed hour that lacks a current partial of a
   * partition another instance lands is left for one cycle, so that instance can fold it (it sees
   * the hour close too), while this one folds its own partitions of the hour into partials; the
   * views' watermark stays before that hour. At the next cycle the hour is compacted whatever is
   * missing, the missing partitions folded here.
   *
   * @return the hours (re-)compacted, over all views
   */
  public int runOnce(long now, BiPredicate<String, Integer> landedHere) throws IOException {
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
      Compacted done = compactBelow(dataset, views, Long.MIN_VALUE, closed, landedHere);
      compacted += done.hours();
      closed = Math.min(closed, done.waitingFrom());
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
        rebuilt += compactBelow(dataset, views, LandedFile.hourOf(from), to, null).hours();
      }
    }
    return rebuilt;
  }

  /**
   * Per partition and hour compacted since start, whether its groups came from partials or were
   * folded here.
   */
  public PartitionSources partitionSources() {
    return sources;
  }

  private List<ViewFolder> viewsOf(DatasetSpec dataset) {
    return viewsOf(catalog, dataset);
  }

  /** The views of {@code catalog} that fold {@code dataset}. */
  static List<ViewFolder> viewsOf(ViewCatalog catalog, DatasetSpec dataset) {
    return catalog.folders().stream()
        .filter(v -> v.definition().source().id().equals(dataset.viewSource()))
        .toList();
  }

  /**
   * What one compaction pass did.
   *
   * @param hours the hours (re-)compacted, over all views
   * @param waitingFrom start of the first hour left for a partial of another instance ({@link
   *     Long#MAX_VALUE}: none)
   */
  private record Compacted(int hours, long waitingFrom) {}

  /**
   * Compacts the closed hours in {@code [from, to)}: those not up to date, or all of them when
   * {@code landedHere} is null (a forced rebuild, which folds everything here).
   */
  private Compacted compactBelow(
      DatasetSpec dataset,
      List<ViewFolder> views,
      long from,
      long to,
      BiPredicate<String, Integer> landedHere)
      throws IOException {
    boolean force = landedHere == null;
    CommittedFiles committed = CommittedFiles.read(storage, partitionManifests, dataset.dataset());
    // a forced rebuild folds everything here, so a changed view definition is taken up for sure
    Map<String, List<LakeLayout.PartialFile>> partials = force ? Map.of() : merger.list(views);
    int compacted = 0;
    long waitingFrom = Long.MAX_VALUE;
    Map<Long, Long> waited = waitedFor.computeIfAbsent(dataset.dataset(), d -> new HashMap<>());
    tiers.forget();
    long retainedFrom = LandedRetention.removedBefore(storage, dataset.dataset());
    for (var hour : committed.byHour(from, to).entrySet()) {
      if (hour.getKey() < retainedFrom) {
        // retention removed this hour's other rows: folding what landed since alone would replace
        // the published hour with a fraction of it
        warnBeyondRetention(dataset, hour.getKey(), hour.getValue());
        continue;
      }
      long covered = CommittedFiles.coveredOffsets(partitions(hour.getKey(), hour.getValue()));
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
      if (!force
          && !Long.valueOf(covered).equals(waited.put(hour.getKey(), covered))
          && merger.lacksPartials(
              stale, partitions(hour.getKey(), hour.getValue()), partials, landedHere)) {
        // another instance is folding its partitions of the hour (it has just closed for it too)
        waitingFrom = Math.min(waitingFrom, hour.getKey());
        for (PartitionHour own : partitions(hour.getKey(), hour.getValue()).values()) {
          if (landedHere.test(own.topic(), own.partition())
              && PartialMerger.current(stale, own, partials) == null) {
            ownPartials.write(stale, own);
          }
        }
        continue;
      }
      waited.remove(hour.getKey());
      Map<Integer, PartitionHour> partitions =
          CommittedFiles.byPartition(hour.getKey(), landed.removeCovered(hour.getValue()));
      Map<String, HourFolder.Folded> folded = merger.fold(stale, partitions, partials);
      for (ViewFolder view : stale) {
        manifest =
            publish(manifest, dataset, view, hour.getKey(), folded.get(view.name()), covered);
        compacted++;
      }
    }
    if (!force) {
      merger.sweep(dataset.dataset(), views, committed, viewManifests.read());
      Set<Long> hours = committed.byHour(from, to).keySet();
      waited.keySet().removeIf(h -> !hours.contains(h));
    }
    return new Compacted(compacted, waitingFrom);
  }

  private void warnBeyondRetention(DatasetSpec dataset, long hour, List<LandedFile> files) {
    long rows = files.stream().mapToLong(LandedFile::offsetCount).sum();
    if (!Long.valueOf(rows).equals(beyondRetention.put(dataset.dataset() + "@" + hour, rows))) {
      log.warn(
          "{} offsets of {} landed for the hour {}, whose other rows retention removed"
              + " (batch.retention.landed): they stay in the lake but are not folded into the"
              + " views, whose published hour is kept as it was",
          rows,
          dataset.topic(),
          Instant.ofEpochMilli(hour));
    }
  }

  private static Map<Integer, PartitionHour> partitions(long hour, List<LandedFile> files) {
    return CommittedFiles.byPartition(hour, CommittedFiles.live(files));
  }

  private ViewManifest publish(
      ViewManifest manifest,
      DatasetSpec dataset,
      ViewFolder view,
      long hour,
      HourFolder.Folded folded,
      long covered)
      throws IOException {
    return publisher.publish(
        manifest, dataset.dataset(), view, hour, folded.groups(), covered, folded.rows());
  }
}
