package io.oxbow.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The lines of the log files to replay, in one deterministic order: files are merged by their
 * running event time (each file keeps its own order, out-of-order lines included), so two runs over
 * the same files send the same lines in the same batches.
 *
 * <p>Files from different periods are aligned so that they end together: every line of a file is
 * moved by the file's {@code align}, the distance from its last event to the latest last event of
 * all files. Pacing uses the aligned times.
 */
final class ReplayLog {
  /** One line: its file, position in that file, bytes, and original event time (if it has one). */
  record Line(
      String source,
      int lineNumber,
      byte[] bytes,
      LogTimestamp.Found timestamp,
      Instant pace,
      Duration align) {

    /** The line's original event time moved by its file's alignment. */
    Instant alignedTime() {
      return timestamp.instant().plus(align);
    }
  }

  private final List<Line> lines;

  private ReplayLog(List<Line> lines) {
    this.lines = List.copyOf(lines);
  }

  /** Reads the files ({@code .gz} transparently) and merges them. */
  static ReplayLog read(List<Path> files) throws IOException {
    List<List<Line>> perFile = new ArrayList<>();
    for (Path file : files) {
      perFile.add(readFile(file));
    }
    Instant end =
        perFile.stream()
            .flatMap(List::stream)
            .map(Line::pace)
            .max(Instant::compareTo)
            .orElse(Instant.EPOCH);
    List<List<Line>> aligned = new ArrayList<>();
    for (List<Line> lines : perFile) {
      Instant fileEnd = lines.stream().map(Line::pace).max(Instant::compareTo).orElse(end);
      Duration align = Duration.between(fileEnd, end);
      aligned.add(
          lines.stream()
              .map(
                  l ->
                      new Line(
                          l.source(),
                          l.lineNumber(),
                          l.bytes(),
                          l.timestamp(),
                          l.pace().plus(align),
                          align))
              .toList());
    }
    return new ReplayLog(merge(aligned));
  }

  List<Line> lines() {
    return lines;
  }

  /** Earliest pace time (the replay's start in log time). */
  Instant first() {
    return lines.stream().map(Line::pace).min(Instant::compareTo).orElse(Instant.EPOCH);
  }

  /** Latest original event time. */
  Instant last() {
    return lines.stream().map(Line::pace).max(Instant::compareTo).orElse(Instant.EPOCH);
  }

  private static List<Line> readFile(Path file) throws IOException {
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content =
          file.getFileName().toString().endsWith(".gz")
              ? new GZIPInputStream(in).readAllBytes()
              : in.readAllBytes();
    }
    String source = file.getFileName().toString().replaceFirst("\\.gz$", "");
    List<Line> lines = new ArrayList<>();
    Instant pace = null;
    int start = 0;
    int number = 0;
    for (int i = 0; i <= content.length; i++) {
      if (i == content.length || content[i] == '\n') {
        int end = i > start && content[i - 1] == '\r' ? i - 1 : i;
        if (i == content.length && start == content.length) {
          break; // no empty line after a final newline
        }
        number++;
        byte[] bytes = Arrays.copyOfRange(content, start, end);
        LogTimestamp.Found ts = LogTimestamp.find(bytes).orElse(null);
        if (ts != null && (pace == null || ts.instant().isAfter(pace))) {
          pace = ts.instant();
        }
        lines.add(new Line(source, number, bytes, ts, pace, Duration.ZERO));
        start = i + 1;
      }
    }
    // lines before the first timestamp pace with the first timestamp of the file
    Instant firstPace =
        lines.stream().map(Line::pace).filter(p -> p != null).findFirst().orElse(Instant.EPOCH);
    lines.replaceAll(
        l ->
            l.pace() != null
                ? l
                : new Line(
                    l.source(), l.lineNumber(), l.bytes(), l.timestamp(), firstPace, l.align()));
    return lines;
  }

  private static List<Line> merge(List<List<Line>> perFile) {
    int[] next = new int[perFile.size()];
    List<Line> merged = new ArrayList<>();
    while (true) {
      int best = -1;
      for (int f = 0; f < perFile.size(); f++) {
        if (next[f] < perFile.get(f).size()
            && (best < 0
                || perFile
                    .get(f)
                    .get(next[f])
                    .pace()
                    .isBefore(perFile.get(best).get(next[best]).pace()))) {
          best = f;
        }
      }
      if (best < 0) {
        return merged;
      }
      merged.add(perFile.get(best).get(next[best]++));
    }
  }
}
