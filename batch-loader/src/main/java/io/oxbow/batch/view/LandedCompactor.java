package io.oxbow.batch.view;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.lake.LakeStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small-file compaction of a closed hour of landed data: within each partition, a run of files
 * whose offset ranges follow each other (and hold the same schema) is rewritten as one file named
 * by the run's whole range, then the small files are removed. The names keep tiling the partition's
 * offsets, so nothing is lost or counted twice; a crash between publishing the big file and
 * removing the small ones leaves files covered by another, which {@link #removeCovered} deletes
 * (and {@link BatchViewReader} ignores meanwhile).
 */
public final class LandedCompactor {
  private static final Logger log = LoggerFactory.getLogger(LandedCompactor.class);

  private final LakeStorage storage;

  /** A compactor of landed files in {@code storage}. */
  public LandedCompactor(LakeStorage storage) {
    this.storage = storage;
  }

  /**
   * The files of one hour after removing every file whose offsets another file covers.
   *
   * @return the remaining files
   */
  public List<LandedFile> removeCovered(List<LandedFile> files) throws IOException {
    List<LandedFile> kept = new ArrayList<>();
    for (LandedFile f : files) {
      boolean covered = files.stream().anyMatch(o -> !o.equals(f) && o.covers(f));
      if (covered) {
        log.info("removing {}: a compacted file holds its rows", f.key());
        storage.delete(f.key());
      } else {
        kept.add(f);
      }
    }
    return kept;
  }

  /**
   * Merges the runs of adjacent files of each partition in one hour.
   *
   * @param files the hour's files, none covered by another
   * @return the hour's files afterwards
   */
  public List<LandedFile> compactHour(List<LandedFile> files) throws IOException {
    Map<Integer, List<LandedFile>> byPartition =
        files.stream().collect(Collectors.groupingBy(LandedFile::partition));
    List<LandedFile> result = new ArrayList<>();
    for (List<LandedFile> partitionFiles : byPartition.values()) {
      List<LandedFile> sorted =
          partitionFiles.stream()
              .sorted(Comparator.comparingLong(LandedFile::firstOffset))
              .toList();
      List<LandedFile> run = new ArrayList<>();
      for (LandedFile f : sorted) {
        if (!run.isEmpty() && run.get(run.size() - 1).lastOffset() + 1 != f.firstOffset()) {
          result.addAll(mergeRun(run));
          run = new ArrayList<>();
        }
        run.add(f);
      }
      result.addAll(mergeRun(run));
    }
    return result;
  }

  private List<LandedFile> mergeRun(List<LandedFile> run) throws IOException {
    if (run.size() < 2) {
      return run;
    }
    List<LandedFile> out = new ArrayList<>();
    List<LandedFile> segment = new ArrayList<>();
    Schema segmentSchema = null;
    Path staged = null;
    ParquetWriter<GenericRecord> writer = null;
    for (LandedFile f : run) {
      List<GenericRecord> rows;
      try (LakeStorage.LocalCopy copy = storage.localCopy(f.key())) {
        rows = ParquetFiles.readAll(copy.path());
      }
      Schema schema = rows.isEmpty() ? segmentSchema : rows.get(0).getSchema();
      if (writer != null && !schema.equals(segmentSchema)) {
        out.addAll(finish(segment, writer, staged));
        segment = new ArrayList<>();
        writer = null;
      }
      if (writer == null) {
        segmentSchema = schema;
        staged = Files.createTempFile(storage.stagingDir(), "compact-", ".parquet");
        writer = ParquetFiles.writer(staged, schema);
      }
      for (GenericRecord row : rows) {
        writer.write(row);
      }
      segment.add(f);
    }
    out.addAll(finish(segment, writer, staged));
    return out;
  }

  private List<LandedFile> finish(
      List<LandedFile> segment, ParquetWriter<GenericRecord> writer, Path staged)
      throws IOException {
    writer.close();
    if (segment.size() < 2) {
      Files.deleteIfExists(staged);
      return segment;
    }
    LandedFile first = segment.get(0);
    LandedFile merged =
        new LandedFile(
            first.dataset(),
            first.topic(),
            first.partition(),
            first.firstOffset(),
            segment.get(segment.size() - 1).lastOffset(),
            first.hourStart());
    storage.publish(staged, merged.key());
    for (LandedFile small : segment) {
      storage.delete(small.key());
    }
    log.debug("compacted {} files into {}", segment.size(), merged.key());
    return List.of(merged);
  }
}
