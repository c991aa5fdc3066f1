package io.oxbow.batch.view;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compactor's fold of one closed hour from per-partition parts: for each partition, in
 * ascending order, its partial aggregates when every view being compacted has one folded from
 * exactly the partition's committed files of the hour (and with the view's current definition),
 * otherwise a fold of those files here (small files merged first). Each partition's groups are in
 * the encoding a partial is read back in ({@link PartialStore#canonical}), and they are merged with
 * the view's monoid in partition order, so the hour's groups are the same bytes whichever instance
 * folded which partition. Then {@link #sweep} removes the partials nobody needs any more.
 */
final class PartialMerger {
  private static final Logger log = LoggerFactory.getLogger(PartialMerger.class);

  private final LakeStorage storage;
  private final LandedCompactor landed;
  private final PartialStore partials;
  private final PartitionSources sources;

  PartialMerger(LakeStorage storage, LandedCompactor landed, PartitionSources sources) {
    this.storage = storage;
    this.landed = landed;
    this.partials = new PartialStore(storage);
    this.sources = sources;
  }

  /** The partials of each view, from one listing per view. */
  Map<String, List<LakeLayout.PartialFile>> list(List<ViewFolder> views) throws IOException {
    Map<String, List<LakeLayout.PartialFile>> listed = new HashMap<>();
    for (ViewFolder view : views) {
      listed.put(view.name(), partials.list(view.name()));
    }
    return listed;
  }

  /**
   * The groups of one hour for every view of {@code views}, and the rows read.
   *
   * @param partitions the hour's committed files per partition, none covered by another
   * @param listed the partials to use, per view (empty: fold every partition here)
   */
  Map<String, HourFolder.Folded> fold(
      List<ViewFolder> views,
      Map<Integer, PartitionHour> partitions,
      Map<String, List<LakeLayout.PartialFile>> listed)
      throws IOException {
    List<Map<GroupKey, Aggregate>> merged = new ArrayList<>();
    views.forEach(v -> merged.add(new TreeMap<>()));
    long rows = 0;
    for (PartitionHour partition : new TreeMap<>(partitions).values()) {
      Part part = fromPartials(views, partition, listed);
      if (part == null) {
        part = foldHere(views, partition);
        sources.countFolded();
      } else {
        sources.countPartial();
      }
      rows += part.rows();
      for (int i = 0; i < views.size(); i++) {
        ViewFolder view = views.get(i);
        Map<GroupKey, Aggregate> into = merged.get(i);
        part.groups().get(i).forEach((key, agg) -> into.merge(key, agg, view::merge));
      }
    }
    Map<String, HourFolder.Folded> folded = new LinkedHashMap<>();
    for (int i = 0; i < views.size(); i++) {
      folded.put(views.get(i).name(), new HourFolder.Folded(merged.get(i), rows));
    }
    return folded;
  }

  /** One partition's groups per view (in the order of the views) and its rows read. */
  private record Part(List<Map<GroupKey, Aggregate>> groups, long rows) {}

  /**
   * True when a partition {@code landedHere} does not accept lacks a current partial of one of
   * {@code views}.
   */
  boolean lacksPartials(
      List<ViewFolder> views,
      Map<Integer, PartitionHour> partitions,
      Map<String, List<LakeLayout.PartialFile>> listed,
      BiPredicate<String, Integer> landedHere) {
    for (PartitionHour partition : partitions.values()) {
      if (!landedHere.test(partition.topic(), partition.partition())
          && current(views, partition, listed) == null) {
        return true;
      }
    }
    return false;
  }

  /** The current partial of every view of the partition, in view order, or null. */
  static List<LakeLayout.PartialFile> current(
      List<ViewFolder> views,
      PartitionHour partition,
      Map<String, List<LakeLayout.PartialFile>> listed) {
    List<LakeLayout.PartialFile> current = new ArrayList<>();
    for (ViewFolder view : views) {
      String definition = PartialStore.fingerprint(view);
      LakeLayout.PartialFile found =
          listed.getOrDefault(view.name(), List.of()).stream()
              .filter(p -> partition.coveredBy(p) && p.definition().equals(definition))
              .findFirst()
              .orElse(null);
      if (found == null) {
        return null;
      }
      current.add(found);
    }
    return current;
  }

  /** The partition's groups from its partials, or null when a view has no current one. */
  private Part fromPartials(
      List<ViewFolder> views,
      PartitionHour partition,
      Map<String, List<LakeLayout.PartialFile>> listed)
      throws IOException {
    List<LakeLayout.PartialFile> current = current(views, partition, listed);
    if (current == null) {
      return null;
    }
    List<Map<GroupKey, Aggregate>> groups = new ArrayList<>();
    try {
      for (int i = 0; i < views.size(); i++) {
        groups.add(partials.read(views.get(i), current.get(i)));
      }
    } catch (NoSuchFileException e) {
      // removed since the listing (by a compactor that ran before this one took over): fold here
      log.info("partial {} is gone; folding its partition here", e.getMessage());
      return null;
    }
    return new Part(groups, current.get(0).rows());
  }

  /** The partition's groups folded here from its landed files (small files merged first). */
  private Part foldHere(List<ViewFolder> views, PartitionHour partition) throws IOException {
    Map<String, HourFolder.Folded> folded;
    try {
      folded = HourFolder.fold(storage, views, landed.compactHour(partition.files()));
    } catch (NoSuchFileException e) {
      // the partition's owner merged the same files meanwhile: same offsets, fewer files
      log.info("{} was merged meanwhile; folding {} again", e.getMessage(), partition);
      folded = HourFolder.fold(storage, views, relisted(partition));
    }
    List<Map<GroupKey, Aggregate>> groups = new ArrayList<>();
    long rows = 0;
    for (ViewFolder view : views) {
      HourFolder.Folded f = folded.get(view.name());
      groups.add(PartialStore.canonical(view, f.groups()));
      rows = f.rows();
    }
    return new Part(groups, rows);
  }

  /** The partition's files of the hour listed again, within the offsets first listed. */
  private List<LandedFile> relisted(PartitionHour partition) throws IOException {
    LandedFile any = partition.files().get(0);
    List<LandedFile> files = new ArrayList<>();
    for (String key : storage.list(LakeLayout.hourFolder(any.dataset(), partition.hourStart()))) {
      LandedFile.parse(key)
          .filter(f -> f.partition() == partition.partition() && f.topic().equals(any.topic()))
          .filter(f -> f.firstOffset() >= partition.firstOffset())
          .filter(f -> f.lastOffset() <= partition.lastOffset())
          .ifPresent(files::add);
    }
    List<LandedFile> live = CommittedFiles.live(files);
    if (live.isEmpty()
        || new PartitionHour(partition.topic(), partition.partition(), partition.hourStart(), live)
                .coveredOffsets()
            != partition.coveredOffsets()) {
      throw new IOException("the landed files of " + partition + " changed while compacting");
    }
    return live;
  }

  /**
   * Removes the partials of {@code views} that no compaction will use: folded with another
   * definition of the view, superseded by files landed since, of an hour no longer in the lake, or
   * used already (the view's published version of the hour covers the hour's files). A partial
   * folded from offsets the listing {@code files} had not committed yet is newer than this cycle
   * and is kept.
   *
   * @return the partials removed
   */
  int sweep(String dataset, List<ViewFolder> views, CommittedFiles files, ViewManifest manifest)
      throws IOException {
    Map<Long, TreeMap<Integer, PartitionHour>> hours = files.partitionHours();
    int removed = 0;
    for (ViewFolder view : views) {
      String definition = PartialStore.fingerprint(view);
      ViewManifest.ViewState state = manifest.view(view.name(), dataset);
      for (LakeLayout.PartialFile partial : partials.list(view.name())) {
        if (partial.definition().equals(definition)
            && (partial.lastOffset() >= files.nextOffset(partial.partition())
                || awaitsUse(partial, hours.get(partial.hourStart()), state))) {
          continue;
        }
        partials.delete(partial);
        removed++;
      }
    }
    if (removed > 0) {
      log.debug("removed {} partial aggregates of {}", removed, dataset);
    }
    return removed;
  }

  private static boolean awaitsUse(
      LakeLayout.PartialFile partial,
      Map<Integer, PartitionHour> hour,
      ViewManifest.ViewState state) {
    if (hour == null) {
      return false;
    }
    PartitionHour files = hour.get(partial.partition());
    if (files == null || !files.coveredBy(partial)) {
      return false;
    }
    ViewManifest.HourVersion published = state.hours().get(partial.hourStart());
    return published == null || published.coveredOffsets() != CommittedFiles.coveredOffsets(hour);
  }
}
