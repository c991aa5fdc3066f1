package io.oxbow.serving.ops;

import io.oxbow.runtime.kafka.TopicTail;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads the dead-letter topic (default {@code access-logs.dlq}) from the beginning: counts every
 * record by its {@code oxbow.dlq.reason} header ({@code UNKNOWN} without one) and keeps the newest
 * {@code keep} records (default 500) for display. Rebuilt from the topic on every start.
 */
public final class DeadLetterStore implements AutoCloseable {
  /** Header names written by the stream processor. */
  static final String STAGE = "oxbow.dlq.stage";

  static final String REASON = "oxbow.dlq.reason";
  static final String EXCEPTION_CLASS = "oxbow.dlq.exception.class";
  static final String EXCEPTION_MESSAGE = "oxbow.dlq.exception.message";
  static final String SOURCE_TOPIC = "oxbow.dlq.source.topic";
  static final String SOURCE_PARTITION = "oxbow.dlq.source.partition";
  static final String SOURCE_OFFSET = "oxbow.dlq.source.offset";
  static final String TIME = "oxbow.dlq.time";

  private static final int MAX_RAW = 4096;

  private final int keep;
  private final Map<String, Long> byReason = new TreeMap<>();
  private final Deque<DeadLetter> newest = new ArrayDeque<>();
  private final TopicTail tailer;
  private long total;

  /** A store of {@code topic} keeping the newest {@code keep} records. */
  public DeadLetterStore(String topic, Properties consumerProps, int keep) {
    this.keep = keep;
    Map<String, Object> props = new HashMap<>();
    consumerProps.forEach((k, v) -> props.put(k.toString(), v));
    this.tailer =
        TopicTail.builder("dlq-store", props).topics(Set.of(topic)).handler(this::add).build();
  }

  /** Starts reading in a background thread. */
  public DeadLetterStore start() {
    tailer.start();
    return this;
  }

  /** True once the topic was read up to its end offsets at start. */
  public boolean caughtUp() {
    return tailer.caughtUp();
  }

  /**
   * Returns normally while the dead-letter topic are being read.
   *
   * @throws IllegalStateException when the reader failed and has not recovered yet, or stopped
   */
  public void checkRunning() {
    tailer.checkRunning();
  }

  /** Dead letters seen, by reason, sorted by reason. */
  public synchronized Map<String, Long> countsByReason() {
    return Map.copyOf(byReason);
  }

  /** Dead letters seen in all. */
  public synchronized long total() {
    return total;
  }

  /** The newest {@code limit} dead letters, newest first. */
  public synchronized List<DeadLetter> newest(int limit) {
    List<DeadLetter> out = new ArrayList<>(Math.min(limit, newest.size()));
    for (DeadLetter letter : newest) {
      if (out.size() >= limit) {
        break;
      }
      out.add(letter);
    }
    return out;
  }

  private void add(ConsumerRecord<byte[], byte[]> record) {
    DeadLetter letter = toLetter(record);
    synchronized (this) {
      total++;
      byReason.merge(letter.reason() == null ? "UNKNOWN" : letter.reason(), 1L, Long::sum);
      newest.addFirst(letter);
      while (newest.size() > keep) {
        newest.removeLast();
      }
    }
  }

  static DeadLetter toLetter(ConsumerRecord<byte[], byte[]> record) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    String raw = displayable(value);
    boolean truncated = raw.length() > MAX_RAW;
    String time = header(record, TIME);
    return new DeadLetter(
        record.topic(),
        record.partition(),
        record.offset(),
        time != null ? time : Instant.ofEpochMilli(record.timestamp()).toString(),
        header(record, STAGE),
        header(record, REASON),
        header(record, EXCEPTION_CLASS),
        header(record, EXCEPTION_MESSAGE),
        header(record, SOURCE_TOPIC),
        header(record, SOURCE_PARTITION),
        header(record, SOURCE_OFFSET),
        truncated ? raw.substring(0, MAX_RAW) : raw,
        value.length,
        truncated);
  }

  /** UTF-8 text with invalid bytes replaced and control characters escaped. */
  static String displayable(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    CharBuffer chars;
    try {
      chars = decoder.decode(ByteBuffer.wrap(bytes));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder never fails", e);
    }
    StringBuilder out = new StringBuilder(chars.length());
    for (int i = 0; i < chars.length() && out.length() <= MAX_RAW; i++) {
      char c = chars.charAt(i);
      if (c != '\t' && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
        out.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    tailer.close();
  }
}
