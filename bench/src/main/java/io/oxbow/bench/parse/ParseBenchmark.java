package io.oxbow.bench.parse;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.bench.SampleLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import nl.basjes.parse.core.exceptions.DissectionFailure;
import nl.basjes.parse.core.exceptions.InvalidDissectorException;
import nl.basjes.parse.core.exceptions.MissingDissectorsException;
import nl.basjes.parse.httpdlog.HttpdLoglineParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lines per second on one core for three parsers of the same input, measured in the same run: the
 * elastic sample (10,000 Apache combined lines), looped, one line per operation.
 *
 * <ul>
 *   <li>{@code oxbow}: {@link AccessLogParser} with {@link LogFormat#AUTO}, from raw bytes to the
 *       complete Avro {@code AccessLogEvent};
 *   <li>{@code logparser}: nielsbasjes' {@code HttpdLoglineParser} ("combined") asked for the same
 *       fields (client, user, epoch time, method, path, query, protocol, status, bytes, referrer,
 *       user agent), from a String;
 *   <li>{@code regex}: a straightforward {@code java.util.regex} combined pattern plus the
 *       conversions the event needs (epoch time, numbers, path/query split), from a String.
 * </ul>
 *
 * <p>The baselines get the lines already decoded to Strings, which favours them. The sample is read
 * from {@code $oxbow.root/samples/access-logs} ({@code oxbow.root} defaults to the working
 * directory). Run: {@code java -jar bench/target/benchmarks.jar ParseBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParseBenchmark {

  private byte[][] bytes;
  private String[] strings;
  private int next;

  private AccessLogParser oxbow;
  private HttpdLoglineParser<LogparserRecord> logparser;
  private LogparserRecord record;
  private RegexCombinedParser regex;

  /** Loads the sample and builds the three parsers. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, ReflectiveOperationException {
    bytes = SampleLines.elastic();
    strings = new String[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      strings[i] = new String(bytes[i], StandardCharsets.UTF_8);
    }
    oxbow = AccessLogParser.forFormat(LogFormat.AUTO);
    logparser = LogparserRecord.parser();
    record = new LogparserRecord();
    regex = new RegexCombinedParser();
  }

  private int nextIndex() {
    int i = next;
    next = i + 1 == bytes.length ? 0 : i + 1;
    return i;
  }

  /** Oxbow: raw bytes to a complete AccessLogEvent. */
  @Benchmark
  public void oxbow(Blackhole bh) {
    ParseResult r = oxbow.parse(bytes[nextIndex()]);
    bh.consume(r);
  }

  /** nielsbasjes logparser, same fields. */
  @Benchmark
  public void logparser(Blackhole bh) {
    try {
      bh.consume(logparser.parse(record, strings[nextIndex()]));
    } catch (DissectionFailure | InvalidDissectorException | MissingDissectorsException e) {
      bh.consume(e);
    }
  }

  /** A straightforward java.util.regex combined-log parser, same fields. */
  @Benchmark
  public void regex(Blackhole bh) {
    bh.consume(regex.parse(strings[nextIndex()]));
  }
}
