package io.oxbow.batch.view;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.lake.LakeStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One listing of a dataset's committed landed files: those the partition manifests have committed
 * (a file published but not yet in its manifest may still be adopted or removed by the landing
 * recovery, and is left out), grouped by hour and partition.
 *
 * @param nextOffsets per partition, the first offset not committed at the time of the listing
 * @param files every committed file, covered ones (left by a crash mid-compaction) included
 */
record CommittedFiles(Map<Integer, Long> nextOffsets, List<LandedFile> files) {

  /** Lists {@code dataset}: its partition manifests first, then its files. */
  static CommittedFiles read(LakeStorage storage, ManifestStore manifests, String dataset)
      throws IOException {
    Map<Integer, Long> committed = new HashMap<>();
    manifests.readAll(dataset).forEach(m -> committed.put(m.partition(), m.nextOffset()));
    List<LandedFile> files = new ArrayList<>();
    for (String key : storage.list(dataset)) {
      LandedFile.parse(key)
          .filter(f -> f.lastOffset() < committed.getOrDefault(f.partition(), 0L))
          .ifPresent(files::add);
    }
    return new CommittedFiles(Map.copyOf(committed), List.copyOf(files));
  }

  /** The first offset of {@code partition} not committed at the listing (0 without manifest). */
  long nextOffset(int partition) {
    return nextOffsets.getOrDefault(partition, 0L);
  }

  /** The files of the hours in {@code [from, to)} (whole hours), by hour, covered ones included. */
  TreeMap<Long, List<LandedFile>> byHour(long from, long to) {
    TreeMap<Long, List<LandedFile>> byHour = new TreeMap<>();
    for (LandedFile f : files) {
      if (f.hourStart() >= from && f.hourStart() + LandedFile.HOUR_MS <= to) {
        byHour.computeIfAbsent(f.hourStart(), h -> new ArrayList<>()).add(f);
      }
    }
    return byHour;
  }

  /**
   * Every hour's files per partition, without the files another file covers, by hour and then
   * partition (both ascending).
   */
  TreeMap<Long, TreeMap<Integer, PartitionHour>> partitionHours() {
    TreeMap<Long, TreeMap<Integer, PartitionHour>> out = new TreeMap<>();
    byHour(Long.MIN_VALUE, Long.MAX_VALUE)
        .forEach((hour, hourFiles) -> out.put(hour, byPartition(hour, live(hourFiles))));
    return out;
  }

  /** {@code files} without those another of them covers. */
  static List<LandedFile> live(List<LandedFile> files) {
    return files.stream()
        .filter(f -> files.stream().noneMatch(o -> !o.equals(f) && o.covers(f)))
        .toList();
  }

  /** The files of one hour (none covered) per partition, ascending. */
  static TreeMap<Integer, PartitionHour> byPartition(long hour, List<LandedFile> files) {
    Map<Integer, List<LandedFile>> grouped = new TreeMap<>();
    for (LandedFile f : files) {
      grouped.computeIfAbsent(f.partition(), p -> new ArrayList<>()).add(f);
    }
    TreeMap<Integer, PartitionHour> out = new TreeMap<>();
    grouped.forEach((p, fs) -> out.put(p, new PartitionHour(fs.get(0).topic(), p, hour, fs)));
    return out;
  }

  /** Offsets the hour's files cover, over all partitions (covered files not counted twice). */
  static long coveredOffsets(Map<Integer, PartitionHour> partitions) {
    return partitions.values().stream().mapToLong(PartitionHour::coveredOffsets).sum();
  }
}
