package io.oxbow.ingest;

import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.runtime.http.ApiException;
import io.oxbow.runtime.http.ApiException.FieldError;
import io.oxbow.runtime.http.security.Permission;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@code POST /v1/logs}: each line becomes a {@link RawLogLine} (line bytes, source, received time,
 * ingest id, sequence within the request) on the logs topic, keyed by its source so one source
 * stays in order. The source is the NDJSON {@code source}, else the {@code X-Oxbow-Source} header,
 * else {@code default}; it is at most {@code ingest.max-source-chars} characters and holds no
 * control characters (400 otherwise).
 *
 * <p>Each line is serialized as soon as it is split off, and lines of one source share one key
 * array, so a kept line costs its Avro bytes plus about {@value #BYTES_PER_LINE} bytes of objects;
 * the {@link #meter} reserves that much per line while the body is read and refuses the body as
 * soon as it holds more than {@code ingest.max-lines} lines.
 */
final class LogRecords implements RecordMaker {
  /** Source of lines that name none. */
  static final String DEFAULT_SOURCE = "default";

  /**
   * Heap a kept line holds besides its text: the ProducerRecord and its headers, the Avro copy's
   * array header, received time, ingest id and sequence (measured: about 170 bytes with compressed
   * references).
   */
  static final int BYTES_PER_LINE = 192;

  private final String topic;
  private final Serializer<RawLogLine> serializer;
  private final LogLineParser parser;
  private final IngestLimits limits;
  private final Clock clock;

  LogRecords(
      String topic,
      Serializer<RawLogLine> serializer,
      long maxLineBytes,
      IngestLimits limits,
      Clock clock) {
    this.topic = topic;
    this.serializer = serializer;
    this.parser = new LogLineParser(maxLineBytes, limits);
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "logs";
  }

  @Override
  public Permission permission() {
    return Permission.LOGS;
  }

  @Override
  public Set<String> mediaTypes() {
    return Set.of("text/plain", "application/x-ndjson");
  }

  /**
   * Counts the newlines as the body is read: 413 as soon as there are more than {@code
   * ingest.max-lines}, and {@value #BYTES_PER_LINE} bytes plus the source's reserved per line.
   */
  @Override
  public BodyMeter meter(String mediaType, String sourceHeader) {
    long perLine = BYTES_PER_LINE + source(sourceHeader).getBytes(StandardCharsets.UTF_8).length;
    long[] newlines = {0};
    return (bytes, length) -> {
      int n = 0;
      for (int i = 0; i < length; i++) {
        if (bytes[i] == '\n') {
          n++;
        }
      }
      newlines[0] += n;
      if (newlines[0] > limits.maxLines()) {
        throw tooManyLines("more than " + limits.maxLines());
      }
      return n * perLine;
    };
  }

  private ApiException tooManyLines(String count) {
    return new ApiException(
        413,
        "the body holds "
            + count
            + " lines, over the limit of "
            + limits.maxLines()
            + " (ingest.max-lines); split it into smaller requests; nothing was written",
        List.of(),
        Map.of());
  }

  @Override
  public long heapBytes(byte[] body, String mediaType, String sourceHeader) {
    String source = source(sourceHeader);
    int lines = LogLineParser.countLines(body);
    if (lines > limits.maxLines()) {
      throw tooManyLines(String.valueOf(lines));
    }
    return (long) lines * (BYTES_PER_LINE + source.getBytes(StandardCharsets.UTF_8).length);
  }

  @Override
  public List<ProducerRecord<byte[], byte[]>> records(
      byte[] body, String mediaType, String sourceHeader, String ingestId) {
    String source = source(sourceHeader);
    Instant received = clock.instant();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<String, byte[]> keys = new HashMap<>();
    LogLineParser.Sink sink =
        (bytes, from, to, lineSource) -> {
          ByteBuffer line = ByteBuffer.wrap(bytes, from, to - from).slice();
          RawLogLine value = new RawLogLine(line, lineSource, received, ingestId, records.size());
          byte[] key = keys.computeIfAbsent(lineSource, s -> s.getBytes(StandardCharsets.UTF_8));
          records.add(new ProducerRecord<>(topic, key, serializer.serialize(topic, value)));
        };
    if ("text/plain".equals(mediaType)) {
      parser.plain(body, source, sink);
    } else {
      parser.ndjson(body, source, sink);
    }
    return records;
  }

  /** The request's source: the header trimmed, else {@code default}; 400 when it is refused. */
  private String source(String header) {
    if (header == null || header.isBlank()) {
      return DEFAULT_SOURCE;
    }
    String source = header.trim();
    String problem = parser.sourceProblem(source);
    if (problem != null) {
      throw ApiException.badRequest(
          "the X-Oxbow-Source header is refused: " + problem,
          List.of(new FieldError(-1, "X-Oxbow-Source", problem)));
    }
    return source;
  }
}
