package io.oxbow.batch.view;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.batch.storage.LakeStorage;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Folds the landed rows of one hour into one view with the views module's {@link ViewFolder} (the
 * code the speed layer runs) and writes the groups as {@code ViewAggregate} Parquet rows.
 */
final class HourFolder {
  private static final GenericData MODEL = new GenericData();

  static {
    MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
  }

  private HourFolder() {}

  /**
   * The folded groups of {@code files} for each view (one pass over the rows for all of them), and
   * the number of rows read.
   *
   * @throws io.oxbow.views.InvalidRecordException naming the view, metric and field of a row that
   *     cannot be folded
   */
  static Map<String, Folded> fold(
      LakeStorage storage, List<ViewFolder> views, List<LandedFile> files) throws IOException {
    List<Map<GroupKey, Aggregate>> groups = new ArrayList<>();
    views.forEach(v -> groups.add(new TreeMap<>()));
    long[] rows = {0};
    for (LandedFile file : files) {
      try (LakeStorage.LocalCopy copy = storage.localCopy(file.key())) {
        ParquetFiles.read(
            copy.path(),
            record -> {
              rows[0]++;
              for (int i = 0; i < views.size(); i++) {
                add(views.get(i), groups.get(i), record);
              }
            });
      }
    }
    Map<String, Folded> folded = new java.util.LinkedHashMap<>();
    for (int i = 0; i < views.size(); i++) {
      folded.put(views.get(i).name(), new Folded(groups.get(i), rows[0]));
    }
    return folded;
  }

  private static void add(ViewFolder view, Map<GroupKey, Aggregate> groups, GenericRecord record) {
    if (view.accepts(record)) {
      Aggregate aggregate = groups.computeIfAbsent(view.key(record), k -> view.identity());
      view.add(aggregate, record);
    }
  }

  /** Writes the groups to a staged Parquet file and returns it. */
  static Path write(Path stagingDir, ViewFolder view, Map<GroupKey, Aggregate> groups)
      throws IOException {
    Path staged = Files.createTempFile(stagingDir, "view-" + view.name() + "-", ".parquet");
    List<GenericRecord> rows = new ArrayList<>(groups.size());
    groups.forEach((key, aggregate) -> rows.add(view.codec().toAvro(key, aggregate)));
    try (ParquetWriter<GenericRecord> writer =
        ParquetFiles.writer(
            staged, io.oxbow.contracts.avro.ViewAggregate.getClassSchema(), MODEL)) {
      for (GenericRecord row : rows) {
        writer.write(row);
      }
    }
    return staged;
  }

  /**
   * The outcome of one fold.
   *
   * @param groups the groups, in key order
   * @param rows input rows read (before the view's filter)
   */
  record Folded(Map<GroupKey, Aggregate> groups, long rows) {}
}
