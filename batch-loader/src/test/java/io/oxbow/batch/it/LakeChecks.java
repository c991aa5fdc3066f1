package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.lake.LakeStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the ITs check about a landed lake. */
public final class LakeChecks {
  private LakeChecks() {}

  /** True when every partition's manifest has reached its end offset. */
  public static boolean committedUpTo(
      LakeStorage storage, String dataset, String topic, Map<Integer, Long> endOffsets)
      throws IOException {
    ManifestStore manifests = new ManifestStore(storage);
    for (var end : endOffsets.entrySet()) {
      if (end.getValue() == 0) {
        continue;
      }
      Optional<PartitionManifest> m = manifests.read(dataset, topic, end.getKey());
      if (m.isEmpty() || m.get().nextOffset() < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The sum of the committed next offsets of the partitions (0 for a partition without one). */
  public static long committedOffsets(
      LakeStorage storage, String dataset, String topic, int partitions) throws IOException {
    ManifestStore manifests = new ManifestStore(storage);
    long sum = 0;
    for (int p = 0; p < partitions; p++) {
      sum += manifests.read(dataset, topic, p).map(m -> Math.max(0, m.nextOffset())).orElse(0L);
    }
    return sum;
  }

  /**
   * Asserts that the files of each partition tile its offsets {@code [0, end)} exactly: no overlap
   * (a duplicate) and no hole (a gap).
   */
  public static void assertTiled(
      LakeStorage storage, String dataset, String topic, Map<Integer, Long> endOffsets)
      throws IOException {
    List<LandedFile> files = new ArrayList<>();
    for (String key : storage.list(dataset)) {
      LandedFile.parse(key).filter(f -> f.topic().equals(topic)).ifPresent(files::add);
    }
    for (var end : endOffsets.entrySet()) {
      List<LandedFile> mine =
          files.stream()
              .filter(f -> f.partition() == end.getKey())
              .sorted(Comparator.comparingLong(LandedFile::firstOffset))
              .toList();
      long next = 0;
      for (LandedFile f : mine) {
        assertThat(f.firstOffset())
            .as("partition %d: file %s must start where the previous ended", end.getKey(), f)
            .isEqualTo(next);
        next = f.lastOffset() + 1;
      }
      assertThat(next)
          .as("partition %d covered up to its end", end.getKey())
          .isEqualTo(end.getValue());
    }
  }

  /** Runs a query returning one number over a fresh in-memory DuckDB. */
  public static long duckLong(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The DuckDB glob of a dataset's Parquet files. */
  public static String glob(Path root, String dataset) {
    return root.resolve(dataset).toString().replace("'", "''") + "/**/*.parquet";
  }
}
