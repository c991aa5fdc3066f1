package io.oxbow.batch.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LocalLakeStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandedCompactorTest {
  private static final long HOUR = 10 * LandedFile.HOUR_MS;
  private static final Schema ROW =
      SchemaBuilder.record("Row").fields().requiredLong("offset").endRecord();

  @TempDir Path root;

  private LandedFile land(LocalLakeStorage lake, int partition, long first, long last)
      throws Exception {
    LandedFile file = new LandedFile("ds", "t", partition, first, last, HOUR);
    Path staged = Files.createTempFile(lake.stagingDir(), "t", ".parquet");
    try (ParquetWriter<GenericRecord> w = ParquetFiles.writer(staged, ROW)) {
      for (long o = first; o <= last; o++) {
        GenericRecord r = new GenericData.Record(ROW);
        r.put("offset", partition * 1000L + o);
        w.write(r);
      }
    }
    lake.publish(staged, file.key());
    return file;
  }

  private static List<Long> offsets(LakeStorage lake, List<LandedFile> files) throws Exception {
    List<Long> all = new ArrayList<>();
    for (LandedFile f : files) {
      try (LakeStorage.LocalCopy copy = lake.localCopy(f.key())) {
        ParquetFiles.read(copy.path(), r -> all.add((Long) r.get("offset")));
      }
    }
    all.sort(null);
    return all;
  }

  @Test
  void shouldMergeAdjacentFilesOfAPartitionAndKeepEveryRow() throws Exception {
    LocalLakeStorage lake = new LocalLakeStorage(root);
    List<LandedFile> files =
        List.of(
            land(lake, 0, 0, 9),
            land(lake, 0, 10, 19),
            land(lake, 0, 20, 24),
            land(lake, 0, 40, 44),
            land(lake, 1, 0, 4));

    List<LandedFile> compacted = new LandedCompactor(lake).compactHour(files);

    assertThat(compacted)
        .extracting(LandedFile::fileName)
        .containsExactlyInAnyOrder("t+0+0-24.parquet", "t+0+40-44.parquet", "t+1+0-4.parquet");
    assertThat(lake.list("ds")).hasSize(3);
    assertThat(offsets(lake, compacted)).hasSize(35).doesNotHaveDuplicates();
  }

  @Test
  void shouldRemoveSmallFilesThatACompactedFileCovers() throws Exception {
    LocalLakeStorage lake = new LocalLakeStorage(root);
    List<LandedFile> files =
        List.of(land(lake, 0, 0, 9), land(lake, 0, 10, 19), land(lake, 0, 0, 19));

    List<LandedFile> kept = new LandedCompactor(lake).removeCovered(files);

    assertThat(kept).extracting(LandedFile::fileName).containsExactly("t+0+0-19.parquet");
    assertThat(lake.list("ds")).containsExactly(kept.get(0).key());
  }
}
