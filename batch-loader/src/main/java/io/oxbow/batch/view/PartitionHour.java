package io.oxbow.batch.view;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.lake.LakeLayout;
import java.util.Comparator;
import java.util.List;

/**
 * The committed landed files of one topic partition in one event hour, none covered by another, and
 * the offsets they cover: what a partial aggregate of that partition and hour must have been folded
 * from to be current.
 *
 * @param topic the landed topic
 * @param partition the topic partition
 * @param hourStart start of the hour, UTC epoch millis
 * @param files the files, by first offset
 */
record PartitionHour(String topic, int partition, long hourStart, List<LandedFile> files) {

  /** Sorts and copies the files; there is at least one. */
  PartitionHour {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a partition hour has at least one file");
    }
    files = files.stream().sorted(Comparator.comparingLong(LandedFile::firstOffset)).toList();
  }

  /** First offset of the partition's files of the hour. */
  long firstOffset() {
    return files.get(0).firstOffset();
  }

  /** Last offset of the partition's files of the hour. */
  long lastOffset() {
    return files.get(files.size() - 1).lastOffset();
  }

  /** Offsets the files cover together. */
  long coveredOffsets() {
    return files.stream().mapToLong(LandedFile::offsetCount).sum();
  }

  /** True when {@code partial} was folded from exactly these offsets (any view, definition). */
  boolean coveredBy(LakeLayout.PartialFile partial) {
    return partial.topic().equals(topic)
        && partial.partition() == partition
        && partial.hourStart() == hourStart
        && partial.firstOffset() == firstOffset()
        && partial.lastOffset() == lastOffset()
        && partial.coveredOffsets() == coveredOffsets();
  }

  /** The key of the partial of {@code view} folded from these files. */
  LakeLayout.PartialFile partial(String view, long rows, String definition) {
    return new LakeLayout.PartialFile(
        view,
        hourStart,
        topic,
        partition,
        firstOffset(),
        lastOffset(),
        coveredOffsets(),
        rows,
        definition);
  }
}
