package io.oxbow.bench.serde;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.bench.SampleLines;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerializer;
import io.oxbow.stream.serde.AccessLogEventSerializer;
import io.oxbow.stream.serde.RawLogLineDeserializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

/**
 * Records per second on one core for the stream processor's two hottest serde calls, each by the
 * registry's general Avro serde and by the hand-written one the stream processor uses: writing an
 * enriched {@link AccessLogEvent} ({@code encodeAvro}, {@code encodeDirect}) and reading a raw
 * {@link RawLogLine} ({@code decodeAvro}, {@code decodeDirect}). Input: the elastic sample's 10,000
 * lines, parsed and enriched (country and user-agent fields set), looped, one record per operation;
 * an in-memory ({@code mock://}) registry. The sample is read from {@code
 * $oxbow.root/samples/access-logs} ({@code oxbow.root} defaults to the working directory).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar StreamSerdeBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class StreamSerdeBenchmark {
  private static final String ENRICHED = "access-logs.enriched";
  private static final String RAW = "access-logs.raw";

  private AccessLogEvent[] events;
  private byte[][] raws;
  private int nextEvent;
  private int nextRaw;

  private AvroSerializer avroWriter;
  private AccessLogEventSerializer directWriter;
  private AvroDeserializer avroReader;
  private RawLogLineDeserializer directReader;

  /** Loads and parses the sample and builds the serdes. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Map<String, Object> config =
        Map.of("schema.registry.url", "mock://serde-bench", "specific.avro.reader", true);
    avroWriter = new AvroSerializer();
    avroWriter.configure(config, false);
    AvroSerializer forDirect = new AvroSerializer();
    forDirect.configure(config, false);
    directWriter = new AccessLogEventSerializer(forDirect);
    avroReader = new AvroDeserializer();
    avroReader.configure(config, false);
    AvroDeserializer forDirectReader = new AvroDeserializer();
    forDirectReader.configure(config, false);
    directReader = new RawLogLineDeserializer(forDirectReader);

    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.AUTO);
    List<AccessLogEvent> parsed = new ArrayList<>();
    List<byte[]> framed = new ArrayList<>();
    for (byte[] line : SampleLines.elastic()) {
      framed.add(
          avroWriter.serialize(
              RAW,
              new RawLogLine(
                  ByteBuffer.wrap(line), "elastic", Instant.now(), "ingest-1", framed.size())));
      if (parser.parse(line, "elastic") instanceof ParseResult.Parsed p) {
        AccessLogEvent event = p.event();
        event.put("country", "US");
        event.put("ua_browser", "Chrome");
        event.put("ua_os", "Windows");
        event.put("ua_device", "Desktop");
        parsed.add(event);
      }
    }
    events = parsed.toArray(new AccessLogEvent[0]);
    raws = framed.toArray(new byte[0][]);
  }

  private AccessLogEvent event() {
    int i = nextEvent;
    nextEvent = i + 1 == events.length ? 0 : i + 1;
    return events[i];
  }

  private byte[] raw() {
    int i = nextRaw;
    nextRaw = i + 1 == raws.length ? 0 : i + 1;
    return raws[i];
  }

  /** The registry's general serializer (Avro's SpecificDatumWriter). */
  @Benchmark
  public byte[] encodeAvro() {
    return avroWriter.serialize(ENRICHED, event());
  }

  /** The hand-written encoder. */
  @Benchmark
  public byte[] encodeDirect() {
    return directWriter.serialize(ENRICHED, event());
  }

  /** The registry's general deserializer (Avro's SpecificDatumReader). */
  @Benchmark
  public Object decodeAvro() {
    return avroReader.deserialize(RAW, raw());
  }

  /** The hand-written decoder. */
  @Benchmark
  public RawLogLine decodeDirect() {
    return directReader.deserialize(RAW, raw());
  }
}
