package io.oxbow.bench.parse;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.bench.SampleLines;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import nl.basjes.parse.httpdlog.HttpdLoglineParser;

/**
 * Interleaved throughput of the three parsers of {@link ParseBenchmark}, for shared or noisy
 * machines: each round runs Oxbow, logparser and the regex one after the other for the same time
 * slice, so a load spike hits all three alike; the report gives the median lines/s of each and the
 * median of the per-round ratios. Single thread, so lines/s is per core.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.oxbow.bench.parse.ParseRatioHarness
 * [rounds=9] [sliceMillis=1000] [warmupRounds=4]}, from the repository root (or with {@code
 * -Doxbow.root=...}).
 */
public final class ParseRatioHarness {

  private interface LineParser {
    /** Parses line i and returns something derived from the result (kept in a sink). */
    int parse(int i) throws Exception;
  }

  private ParseRatioHarness() {}

  /** Runs the rounds and prints one line per round plus a summary. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 1000) * 1_000_000L;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    byte[][] bytes = SampleLines.elastic();
    String[] strings = new String[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      strings[i] = new String(bytes[i], StandardCharsets.UTF_8);
    }
    AccessLogParser oxbow = AccessLogParser.forFormat(LogFormat.AUTO);
    HttpdLoglineParser<LogparserRecord> logparser = LogparserRecord.parser();
    LogparserRecord record = new LogparserRecord();
    RegexCombinedParser regex = new RegexCombinedParser();
    LineParser[] parsers = {
      i -> oxbow.parse(bytes[i]) instanceof ParseResult.Parsed p ? p.event().getStatus() : -1,
      i -> logparser.parse(record, strings[i]).hashCode(),
      i -> {
        RegexCombinedParser.Entry e = regex.parse(strings[i]);
        return e == null ? -1 : e.status();
      }
    };
    String[] names = {"oxbow", "logparser", "regex"};
    for (int r = 0; r < warmup; r++) {
      for (LineParser p : parsers) {
        run(p, bytes.length, sliceNanos);
      }
    }
    double[][] rates = new double[3][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < 3; k++) {
        rates[k][r] = run(parsers[k], bytes.length, sliceNanos);
      }
      System.out.printf(
          Locale.ROOT,
          "round %d: oxbow %.0f, logparser %.0f, regex %.0f lines/s%n",
          r + 1,
          rates[0][r],
          rates[1][r],
          rates[2][r]);
    }
    for (int k = 0; k < 3; k++) {
      System.out.printf(Locale.ROOT, "%-9s median %,.0f lines/s%n", names[k], median(rates[k]));
    }
    System.out.printf(
        Locale.ROOT,
        "oxbow / logparser: median of per-round ratios %.1fx%n",
        median(ratios(rates[0], rates[1])));
    System.out.printf(
        Locale.ROOT,
        "oxbow / regex:     median of per-round ratios %.1fx%n",
        median(ratios(rates[0], rates[2])));
    System.out.println("(sink " + sink + ")");
  }

  private static long sink;

  /** Lines per second parsed by {@code p} during one slice, looping over the sample. */
  private static double run(LineParser p, int n, long sliceNanos) throws Exception {
    long start = System.nanoTime();
    long deadline = start + sliceNanos;
    long lines = 0;
    int i = 0;
    long acc = 0;
    long now;
    do {
      for (int k = 0; k < 256; k++) {
        try {
          acc += p.parse(i);
        } catch (Exception e) {
          acc++;
        }
        i = i + 1 == n ? 0 : i + 1;
      }
      lines += 256;
      now = System.nanoTime();
    } while (now < deadline);
    sink += acc;
    return lines * 1e9 / (now - start);
  }

  private static double[] ratios(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] / b[i];
    }
    return out;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }
}
