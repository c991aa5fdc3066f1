package io.oxbow.batch.view;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.lake.LakeStorage;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.InvalidRecordException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the landed rows of one hour into one view with the views module's {@link ViewFolder} (the
 * code the speed layer runs) and writes the groups as {@code ViewAggregate} Parquet rows.
 */
final class HourFolder {
  private static final Logger log = LoggerFactory.getLogger(HourFolder.class);
  private static final GenericData MODEL = new GenericData();

  static {
    MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
  }

  private HourFolder() {}

  /**
   * The folded groups of {@code files} for each view (one pass over the rows for all of them), and
   * the number of rows read.
   *
   * <p>A row a view cannot fold ({@link InvalidRecordException}: a value of the wrong type) is left
   * out of that view and reported in a warning naming the file, the row and the field, once per
   * file.
   */
  static Map<String, Folded> fold(
      LakeStorage storage, List<ViewFolder> views, List<LandedFile> files) throws IOException {
    List<Map<GroupKey, Aggregate>> groups = new ArrayList<>();
    views.forEach(v -> groups.add(new TreeMap<>()));
    long[] rows = {0};
    for (LandedFile file : files) {
      long[] rejected = {0};
      String[] firstError = {null};
      try (LakeStorage.LocalCopy copy = storage.localCopy(file.key())) {
        ParquetFiles.read(
            copy.path(),
            record -> {
              rows[0]++;
              for (int i = 0; i < views.size(); i++) {
                try {
                  add(views.get(i), groups.get(i), record);
                } catch (InvalidRecordException e) {
                  // one bad row must not hold the watermark back forever; it is counted and named
                  rejected[0]++;
                  if (firstError[0] == null) {
                    firstError[0] = "row " + rows[0] + ": " + e.getMessage();
                  }
                }
              }
            });
      }
      if (rejected[0] > 0) {
        log.warn("{}: {} row folds rejected, first at {}", file.key(), rejected[0], firstError[0]);
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
