package io.oxbow.serving.ops;

import io.oxbow.contracts.deadletter.DeadLetterHeaders;
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

/**
 * Reads the dead-letter topic (default {@code access-logs.dlq}) from the beginning: counts every
 * record by its reason ({@code UNKNOWN} without one) and keeps the newest {@code keep} records
 * (default 500) for display. The stream processor's and the batch loader's dead letters alike are
 * read through {@link DeadLetterHeaders}, older headers included. Rebuilt from the topic on every
 * start.
 */
public final class DeadLetterStore implements AutoCloseable {
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
    io.oxbow.contracts.deadletter.DeadLetter letter = DeadLetterHeaders.read(record.headers());
    Instant time = letter.time() != null ? letter.time() : Instant.ofEpochMilli(record.timestamp());
    return new DeadLetter(
        record.topic(),
        record.partition(),
        record.offset(),
        time.toString(),
        letter.stage(),
        letter.reason(),
        letter.exceptionClass(),
        letter.exceptionMessage(),
        letter.sourceTopic(),
        text(letter.sourcePartition()),
        text(letter.sourceOffset()),
        truncated ? raw.substring(0, MAX_RAW) : raw,
        value.length,
        truncated);
  }

  private static String text(Number number) {
    return number == null ? null : number.toString();
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

  @Override
  public void close() {
    tailer.close();
  }
}
