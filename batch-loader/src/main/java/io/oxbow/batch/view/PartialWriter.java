package io.oxbow.batch.view;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of compaction the batch-loader instances that do not compact do for the partitions they
 * land (the compacting instance folds its own partitions in the merge, or into partials while it
 * waits for the others', {@link BatchCompactor#runOnce(long, BiPredicate)}): once one of its
 * partitions has moved past an hour (its landed event time past the hour's end plus {@code
 * batch.allowed-lateness}, or the partition caught up and quiet for {@code batch.idle-timeout} and
 * the wall clock past it), the partition's small files of the hour are merged ({@link
 * LandedCompactor}) and its rows folded into a partial aggregate per view ({@link PartialStore},
 * {@code views/<view>/_partial/…}), named by the offsets it was folded from. The compacting
 * instance then merges the partials instead of folding those rows ({@link BatchCompactor}).
 *
 * <p>Nothing here decides what is final: a partial that turns out stale (late rows landed after it,
 * a partition that moved to another instance) is simply not used, and the compactor folds the
 * partition itself. An hour whose published version already covers every landed row gets no
 * partial, and a partition hour that has a current partial of every view is not folded again. Late
 * rows of a closed hour make a new partial of their partition's hour. Not thread-safe: one per
 * instance ({@link BatchCompactor#partialWriter()}), run by its compaction scheduler.
 */
public final class PartialWriter {
  private static final Logger log = LoggerFactory.getLogger(PartialWriter.class);

  private final LakeStorage storage;
  private final List<DatasetSpec> datasets;
  private final ViewCatalog catalog;
  private final Duration allowedLateness;
  private final Duration idleTimeout;
  private final ManifestStore partitionManifests;
  private final ViewManifestStore viewManifests;
  private final LandedCompactor landed;
  private final PartialStore partials;
  private final AtomicLong written = new AtomicLong();

  /**
   * A writer of the partials of {@code storage}'s datasets.
   *
   * @param allowedLateness how long after its end an hour waits for late rows ({@code
   *     batch.allowed-lateness})
   * @param idleTimeout how long a caught-up partition goes without records before the wall clock
   *     stands in for its event time ({@code batch.idle-timeout})
   */
  public PartialWriter(
      LakeStorage storage,
      List<DatasetSpec> datasets,
      ViewCatalog catalog,
      Duration allowedLateness,
      Duration idleTimeout) {
    this.storage = storage;
    this.datasets = List.copyOf(datasets);
    this.catalog = catalog;
    this.allowedLateness = allowedLateness;
    this.idleTimeout = idleTimeout;
    this.partitionManifests = new ManifestStore(storage);
    this.viewManifests = new ViewManifestStore(storage);
    this.landed = new LandedCompactor(storage);
    this.partials = new PartialStore(storage);
  }

  /**
   * One cycle at wall-clock time {@code now}: writes the partials the partitions {@code owns}
   * accepts ({@code topic, partition}) are due.
   *
   * @return the partition hours folded into partials
   */
  public int runOnce(long now, BiPredicate<String, Integer> owns) throws IOException {
    int folded = 0;
    ViewManifest manifest = null;
    for (DatasetSpec dataset : datasets) {
      List<ViewFolder> views = BatchCompactor.viewsOf(catalog, dataset);
      if (views.isEmpty()) {
        continue;
      }
      Map<Integer, Long> readyBelow = new HashMap<>();
      for (PartitionManifest m : partitionManifests.readAll(dataset.dataset())) {
        if (owns.test(dataset.topic(), m.partition())) {
          readyBelow.put(m.partition(), readyBelow(m, now));
        }
      }
      if (readyBelow.isEmpty()) {
        continue;
      }
      manifest = manifest == null ? viewManifests.read() : manifest;
      CommittedFiles files = CommittedFiles.read(storage, partitionManifests, dataset.dataset());
      Map<String, List<LakeLayout.PartialFile>> listed = new HashMap<>();
      for (ViewFolder view : views) {
        listed.put(view.name(), partials.list(view.name()));
      }
      for (var hour : files.partitionHours().entrySet()) {
        for (PartitionHour partition : hour.getValue().values()) {
          Long below = readyBelow.get(partition.partition());
          if (below == null || hour.getKey() + LandedFile.HOUR_MS > below) {
            continue;
          }
          List<ViewFolder> due = due(views, dataset, hour.getValue(), partition, manifest, listed);
          if (!due.isEmpty() && write(due, partition)) {
            folded++;
          }
        }
      }
    }
    return folded;
  }

  /** Partition hours folded into partials since start (thread-safe). */
  public long partitionHoursWritten() {
    return written.get();
  }

  /** End of the hours the partition has moved past, epoch millis. */
  private long readyBelow(PartitionManifest m, long now) {
    long lateness = allowedLateness.toMillis();
    long below =
        m.maxEventTime() == Long.MIN_VALUE
            ? Long.MIN_VALUE
            : LandedFile.hourOf(m.maxEventTime() - lateness);
    if (m.caughtUp() && now - m.lastRecordAt() >= idleTimeout.toMillis()) {
      below = Math.max(below, LandedFile.hourOf(now - lateness));
    }
    return below;
  }

  /** The views that lack a current partial of {@code partition}, in an hour not yet up to date. */
  private static List<ViewFolder> due(
      List<ViewFolder> views,
      DatasetSpec dataset,
      TreeMap<Integer, PartitionHour> hour,
      PartitionHour partition,
      ViewManifest manifest,
      Map<String, List<LakeLayout.PartialFile>> listed) {
    long covered = CommittedFiles.coveredOffsets(hour);
    List<ViewFolder> due = new ArrayList<>();
    for (ViewFolder view : views) {
      ViewManifest.HourVersion published =
          manifest.view(view.name(), dataset.dataset()).hours().get(partition.hourStart());
      if (published != null && published.coveredOffsets() == covered) {
        continue;
      }
      String definition = PartialStore.fingerprint(view);
      boolean current =
          listed.get(view.name()).stream()
              .anyMatch(p -> partition.coveredBy(p) && p.definition().equals(definition));
      if (!current) {
        due.add(view);
      }
    }
    return due;
  }

  /**
   * Merges the partition hour's small files, folds it and publishes one partial per view.
   *
   * @return false when its files went away meanwhile (merged or removed by the compactor)
   */
  boolean write(List<ViewFolder> views, PartitionHour partition) throws IOException {
    Map<String, HourFolder.Folded> folded;
    try {
      folded = HourFolder.fold(storage, views, landed.compactHour(partition.files()));
    } catch (NoSuchFileException e) {
      // the compacting instance merged or removed the files meanwhile: it needs no partial
      log.debug("{} went away while folding {}; no partial this cycle", e.getMessage(), partition);
      return false;
    }
    for (ViewFolder view : views) {
      HourFolder.Folded f = folded.get(view.name());
      LakeLayout.PartialFile written = partials.write(view, partition, f.groups(), f.rows());
      log.debug("partial {} ({} groups)", written.key(), f.groups().size());
    }
    this.written.incrementAndGet();
    return true;
  }
}
