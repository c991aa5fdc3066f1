package io.oxbow.ingest;

import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.runtime.http.security.Permission;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@code POST /v1/logs}: each line becomes a {@link RawLogLine} (line bytes, source, received time,
 * ingest id, sequence within the request) on the logs topic, keyed by its source so one source
 * stays in order. The source is the NDJSON {@code source}, else the {@code X-Oxbow-Source} header,
 * else {@code default}.
 */
final class LogRecords implements RecordMaker {
  /** Source of lines that name none. */
  static final String DEFAULT_SOURCE = "default";

  private final String topic;
  private final Serializer<RawLogLine> serializer;
  private final LogLineParser parser;
  private final Clock clock;

  LogRecords(String topic, Serializer<RawLogLine> serializer, long maxLineBytes, Clock clock) {
    this.topic = topic;
    this.serializer = serializer;
    this.parser = new LogLineParser(maxLineBytes);
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

  @Override
  public List<ProducerRecord<byte[], byte[]>> records(
      byte[] body, String mediaType, String sourceHeader, String ingestId) {
    String source =
        sourceHeader == null || sourceHeader.isBlank() ? DEFAULT_SOURCE : sourceHeader.trim();
    List<LogLineParser.LogLine> lines =
        "text/plain".equals(mediaType) ? parser.plain(body, source) : parser.ndjson(body, source);
    Instant received = clock.instant();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      LogLineParser.LogLine line = lines.get(i);
      RawLogLine value =
          new RawLogLine(ByteBuffer.wrap(line.line()), line.source(), received, ingestId, i);
      records.add(
          new ProducerRecord<>(
              topic,
              line.source().getBytes(StandardCharsets.UTF_8),
              serializer.serialize(topic, value)));
    }
    return records;
  }
}
