package io.oxbow.bench.serving;

import io.oxbow.lake.LakeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.stream.Stream;

/** Prints what a view's batch files hold: per tier, files, bytes and rows (groups). */
final class LakeSize {
  private LakeSize() {}

  /** Prints the minute files and each roll-up tier of {@code view} in the lake at {@code lake}. */
  static void print(Path lake, String view) throws IOException, SQLException {
    String own = LakeLayout.viewFolder(view);
    line("minute files", lake.resolve(own), lake.resolve(LakeLayout.hourFilesGlob(own)));
    for (String tier : LakeLayout.TIERS) {
      Path folder = lake.resolve(LakeLayout.tierFolder(view, tier));
      line("tier " + tier, folder, folder.resolve("**/*.parquet"));
    }
  }

  private static void line(String name, Path folder, Path pattern)
      throws IOException, SQLException {
    long files = 0;
    long bytes = 0;
    if (Files.isDirectory(folder)) {
      try (Stream<Path> all = Files.walk(folder)) {
        for (Path p : all.filter(p -> p.toString().endsWith(".parquet")).toList()) {
          if (name.startsWith("tier") || !folder.relativize(p).toString().startsWith("tier=")) {
            files++;
            bytes += Files.size(p);
          }
        }
      }
    }
    long rows = 0;
    if (files > 0) {
      String glob = pattern.toString().replace("'", "''");
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + glob + "')")) {
        rs.next();
        rows = rs.getLong(1);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  %-13s %,7d files %,15d bytes %,12d rows (groups)%n",
        name,
        files,
        bytes,
        rows);
  }
}
