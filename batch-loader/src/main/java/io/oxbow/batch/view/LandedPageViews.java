package io.oxbow.batch.view;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.lake.LakeStorage;
import io.oxbow.views.InvalidRecordException;
import io.oxbow.views.visit.PageHit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page views of the landed access logs, hour by hour, as sessionization reads them: only files
 * the partition manifests have committed, and no file whose offsets another file covers (left by a
 * crash in the middle of a small-file compaction), so every landed row is read once. Read only: the
 * files are {@link BatchCompactor}'s to compact and remove.
 */
final class LandedPageViews {
  private static final Logger log = LoggerFactory.getLogger(LandedPageViews.class);

  /** Time order ({@link PageHit#ORDER}), then visitor: the same order whatever the files' order. */
  static final Comparator<PageHit.OfVisitor> ORDER =
      Comparator.comparing(PageHit.OfVisitor::hit, PageHit.ORDER)
          .thenComparing(PageHit.OfVisitor::visitor);

  private final LakeStorage storage;
  private final DatasetSpec dataset;
  private final Map<Long, List<LandedFile>> byHour;

  private LandedPageViews(LakeStorage storage, DatasetSpec dataset, Map<Long, List<LandedFile>> f) {
    this.storage = storage;
    this.dataset = dataset;
    this.byHour = f;
  }

  /** The dataset's committed files as they are now. */
  static LandedPageViews list(LakeStorage storage, DatasetSpec dataset) throws IOException {
    Map<Integer, Long> committed = new HashMap<>();
    new ManifestStore(storage)
        .readAll(dataset.dataset())
        .forEach(m -> committed.put(m.partition(), m.nextOffset()));
    List<LandedFile> files = new ArrayList<>();
    for (String key : storage.list(dataset.dataset())) {
      LandedFile.parse(key)
          .filter(f -> f.lastOffset() < committed.getOrDefault(f.partition(), 0L))
          .ifPresent(files::add);
    }
    Map<Long, List<LandedFile>> byHour = new TreeMap<>();
    for (LandedFile f : files) {
      boolean covered = files.stream().anyMatch(o -> !o.equals(f) && o.covers(f));
      if (!covered) {
        byHour.computeIfAbsent(f.hourStart(), h -> new ArrayList<>()).add(f);
      }
    }
    return new LandedPageViews(storage, dataset, byHour);
  }

  /** The hours that have landed files, ascending. */
  List<Long> hours() {
    return List.copyOf(byHour.keySet());
  }

  /** The source offsets the files of {@code hour} cover (0 for an hour without files). */
  long coveredOffsets(long hour) {
    return byHour.getOrDefault(hour, List.of()).stream().mapToLong(LandedFile::offsetCount).sum();
  }

  /** The covered offsets of every hour in {@code [from, to)}. */
  long coveredOffsets(long from, long to) {
    long sum = 0;
    for (var e : ((TreeMap<Long, List<LandedFile>>) byHour).subMap(from, to).entrySet()) {
      sum += e.getValue().stream().mapToLong(LandedFile::offsetCount).sum();
    }
    return sum;
  }

  /**
   * The page views of {@code hour}, in {@link #ORDER}. A row that is not an access-log event of the
   * expected shape is skipped with a warning naming the file (once per file).
   */
  List<PageHit.OfVisitor> read(long hour) throws IOException {
    List<PageHit.OfVisitor> hits = new ArrayList<>();
    for (LandedFile file : byHour.getOrDefault(hour, List.of())) {
      long[] rejected = {0};
      String[] first = {null};
      try (LakeStorage.LocalCopy copy = storage.localCopy(file.key())) {
        ParquetFiles.read(
            copy.path(),
            row -> {
              try {
                PageHit.OfVisitor hit = PageHit.of(row);
                if (hit != null) {
                  hits.add(hit);
                }
              } catch (InvalidRecordException | ClassCastException e) {
                rejected[0]++;
                if (first[0] == null) {
                  first[0] = e.getMessage();
                }
              }
            });
      }
      if (rejected[0] > 0) {
        log.warn(
            "{}: {} rows of {} not read as page views, first: {}",
            file.key(),
            rejected[0],
            dataset.topic(),
            first[0]);
      }
    }
    hits.sort(ORDER);
    return hits;
  }
}
