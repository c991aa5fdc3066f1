package io.oxbow.batch.retention;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch loader's retention ({@link RetentionSettings}), one pass per compaction cycle in the
 * one compacting instance, before the compactor runs:
 *
 * <ol>
 *   <li>per landed dataset ({@link LandedRetention}): record the new horizon, then delete the
 *       landed files of the hours before it;
 *   <li>per batch view ({@link ViewRetention}): move each tier's horizon and drop the tier buckets
 *       before it, in one switch of the view manifest for all views, which publishes the horizons
 *       ({@code retained_from}) to readers and stops listing the removed files;
 *   <li>only then delete, per view whose state changed (and at the first pass of the process, to
 *       finish what a crash left), every file of its folder before its tier's horizon.
 * </ol>
 *
 * <p>A reader that read the old manifest may find a file gone: it reads the manifest again and
 * answers without the hour, reported as removed ({@code retained_from}), never with part of it.
 * Counted in {@code oxbow_batch_retention_removed_total{kind}} and {@code
 * oxbow_batch_retention_removed_bytes_total{kind}} ({@code kind}: {@code landed}, {@code files},
 * {@code 1h}, {@code 1d}). Not thread-safe: one per compactor.
 */
public final class RetentionEnforcer {
  private static final Logger log = LoggerFactory.getLogger(RetentionEnforcer.class);
  private static final String LANDED = "landed";

  private final LakeStorage storage;
  private final List<DatasetSpec> datasets;
  private final ViewCatalog catalog;
  private final RetentionSettings settings;
  private final ViewManifestStore viewManifests;
  private final LandedRetention landed;
  private final Map<String, AtomicLong> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();
  private final Map<String, Long> lastSignature = new HashMap<>();
  private final Set<String> scanned = new HashSet<>();

  /**
   * Retention of the lake in {@code storage}.
   *
   * @param datasets the landed datasets
   * @param catalog the views (their windows decide their tiers)
   * @param settings what is kept, checked ({@link RetentionSettings#validate})
   */
  public RetentionEnforcer(
      LakeStorage storage,
      List<DatasetSpec> datasets,
      ViewCatalog catalog,
      RetentionSettings settings) {
    this.storage = storage;
    this.datasets = List.copyOf(datasets);
    this.catalog = catalog;
    this.settings = settings;
    this.viewManifests = new ViewManifestStore(storage);
    this.landed = new LandedRetention(storage);
    for (String kind : List.of(LANDED, LakeLayout.FILES_TIER, "1h", "1d")) {
      files.put(kind, new AtomicLong());
      bytes.put(kind, new AtomicLong());
    }
  }

  /** Publishes the removal counters on {@code meters}. */
  public void bindMetrics(MeterRegistry meters) {
    files.forEach(
        (kind, count) ->
            FunctionCounter.builder("oxbow.batch.retention.removed", count, AtomicLong::get)
                .description("Files removed by retention (landed files, view files, tier files)")
                .tag("kind", kind)
                .register(meters));
    bytes.forEach(
        (kind, count) ->
            FunctionCounter.builder("oxbow.batch.retention.removed.bytes", count, AtomicLong::get)
                .description("Bytes of the files removed by retention")
                .tag("kind", kind)
                .register(meters));
  }

  /** Files of {@code kind} ({@code landed}, {@code files}, {@code 1h}, {@code 1d}) removed. */
  public long removedFiles(String kind) {
    AtomicLong count = files.get(kind);
    return count == null ? 0 : count.get();
  }

  /**
   * One pass at wall-clock time {@code now}.
   *
   * @return files removed in this pass
   */
  public long enforce(long now) throws IOException {
    long before = total();
    ViewManifest manifest = viewManifests.read();
    Map<String, Long> landedFrom = new HashMap<>();
    for (DatasetSpec dataset : datasets) {
      LandedRetention.Removed removed =
          landed.enforce(
              dataset,
              settings.landed().of(dataset.topic()),
              settings.clock(),
              compactedUpTo(dataset, manifest),
              now);
      landedFrom.put(dataset.dataset(), removed.removedBefore());
      count(LANDED, removed.files(), removed.bytes());
      if (removed.files() > 0) {
        log.info(
            "retention removed {} landed files ({} bytes) of {} before {}",
            removed.files(),
            removed.bytes(),
            dataset.topic(),
            Instant.ofEpochMilli(removed.removedBefore()));
      }
    }
    ViewManifest next = manifest;
    Map<String, Map<String, Long>> horizons = new HashMap<>();
    Set<String> toScan = new HashSet<>();
    for (Map.Entry<String, ViewManifest.ViewState> entry : manifest.views().entrySet()) {
      String view = entry.getKey();
      Optional<ViewFolder> folder = catalog.find(view);
      if (folder.isEmpty()) {
        continue;
      }
      ViewManifest.ViewState state = entry.getValue();
      ViewRetention.Plan plan =
          ViewRetention.plan(
              folder.get().definition().window().millis(),
              state,
              settings,
              landedFrom.getOrDefault(state.dataset(), Long.MIN_VALUE),
              now);
      horizons.put(view, plan.horizons());
      long signature = signature(plan);
      Long last = lastSignature.put(view, signature);
      if (!plan.next().equals(state)) {
        next = next.with(view, plan.next());
        toScan.add(view);
      } else if (!scanned.contains(view) || last == null || last != signature) {
        toScan.add(view);
      }
    }
    if (!next.equals(manifest)) {
      // the switch first: from here on no reader is told of the files removed below
      viewManifests.write(next);
    }
    for (String view : toScan) {
      removeBelow(view, horizons.get(view));
      scanned.add(view);
    }
    return total() - before;
  }

  /**
   * Up to where every view folding {@code dataset} has compacted its hours (the lowest of their
   * watermarks): landed rows after it are kept whatever their age, so a replay of more than the
   * landed retention is folded into the views before its landed rows go. {@link Long#MAX_VALUE} for
   * a dataset that feeds no view; {@link Long#MIN_VALUE} while one of its views has none.
   */
  private long compactedUpTo(DatasetSpec dataset, ViewManifest manifest) {
    long upTo = Long.MAX_VALUE;
    for (ViewFolder view : catalog.folders()) {
      if (view.definition().source().id().equals(dataset.viewSource())) {
        ViewManifest.ViewState state = manifest.views().get(view.name());
        upTo = Math.min(upTo, state == null ? Long.MIN_VALUE : state.watermark());
      }
    }
    return upTo;
  }

  /**
   * Deletes every file of {@code view}'s folder before its tier's horizon: those the switch just
   * stopped listing, and those a crash or a late re-compaction left there.
   */
  private void removeBelow(String view, Map<String, Long> horizons) throws IOException {
    String folder = LakeLayout.viewFolder(view) + "/";
    long[] removedFiles = new long[1];
    for (LakeStorage.StoredObject object : storage.listObjects(LakeLayout.viewFolder(view))) {
      String relative = object.key().substring(folder.length());
      String tier = ViewRetention.tierOfFile(relative);
      Long horizon = tier == null ? null : horizons.get(tier);
      var start = LakeLayout.partitionStart(relative);
      if (horizon != null && start.isPresent() && start.getAsLong() < horizon) {
        storage.delete(object.key());
        count(tier, 1, object.size());
        removedFiles[0]++;
      }
    }
    if (removedFiles[0] > 0) {
      log.info(
          "retention removed {} files of view {}; kept from {}",
          removedFiles[0],
          view,
          describe(horizons));
    }
  }

  /**
   * What a view's state names below its horizons (hours and their versions): a change means a
   * re-compaction wrote a file there, which the next scan removes.
   */
  private static long signature(ViewRetention.Plan plan) {
    long files = plan.horizons().get(LakeLayout.FILES_TIER);
    long signature = 17;
    for (var hour : plan.next().hours().entrySet()) {
      if (hour.getKey() < files) {
        signature = signature * 31 + hour.getKey() * 7 + hour.getValue().version();
      }
    }
    signature = signature * 31 + plan.horizons().hashCode();
    return signature;
  }

  private static String describe(Map<String, Long> horizons) {
    StringBuilder text = new StringBuilder();
    horizons.forEach(
        (tier, from) ->
            text.append(text.isEmpty() ? "" : ", ")
                .append(tier)
                .append(' ')
                .append(from == Long.MIN_VALUE ? "the start" : Instant.ofEpochMilli(from)));
    return text.toString();
  }

  private void count(String kind, long removedFiles, long removedBytes) {
    files.get(kind).addAndGet(removedFiles);
    bytes.get(kind).addAndGet(removedBytes);
  }

  private long total() {
    return files.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /**
   * Refuses {@code --recompute} of a range starting at {@code from} when retention removed landed
   * rows of a dataset feeding views after it: the views of those hours could not be rebuilt. Only
   * datasets that feed a view of {@code catalog} count.
   *
   * @throws IllegalArgumentException naming the range, the dataset and the setting
   */
  public static void checkRecompute(
      LakeStorage storage, List<DatasetSpec> datasets, ViewCatalog catalog, long from, long to)
      throws IOException {
    for (DatasetSpec dataset : datasets) {
      boolean feedsViews =
          catalog.folders().stream()
              .anyMatch(v -> v.definition().source().id().equals(dataset.viewSource()));
      if (!feedsViews) {
        continue;
      }
      long removedBefore = LandedRetention.removedBefore(storage, dataset.dataset());
      if (removedBefore != Long.MIN_VALUE && from < removedBefore) {
        throw new IllegalArgumentException(
            "cannot recompute ["
                + Instant.ofEpochMilli(from)
                + ", "
                + Instant.ofEpochMilli(to)
                + "): the landed rows of "
                + dataset.topic()
                + " before "
                + Instant.ofEpochMilli(removedBefore)
                + " were removed by retention ("
                + RetentionSettings.LANDED.key()
                + "); recompute from "
                + Instant.ofEpochMilli(removedBefore)
                + " on");
      }
    }
  }
}
