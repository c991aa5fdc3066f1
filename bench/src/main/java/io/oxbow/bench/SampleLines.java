package io.oxbow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of the bundled elastic access-log sample ({@code
 * $oxbow.root/samples/access-logs/elastic_apache_logs.log}; {@code oxbow.root} defaults to the
 * working directory), as the benchmarks feed them: raw bytes without the newline, in file order.
 */
public final class SampleLines {
  private SampleLines() {}

  /** Every newline-terminated line of the elastic sample, without its newline. */
  public static byte[][] elastic() throws IOException {
    return elastic(Path.of(System.getProperty("oxbow.root", ".")));
  }

  /** As {@link #elastic()}, with the project's root given. */
  public static byte[][] elastic(Path root) throws IOException {
    byte[] all = Files.readAllBytes(root.resolve("samples/access-logs/elastic_apache_logs.log"));
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        lines.add(Arrays.copyOfRange(all, start, i));
        start = i + 1;
      }
    }
    return lines.toArray(new byte[0][]);
  }
}
