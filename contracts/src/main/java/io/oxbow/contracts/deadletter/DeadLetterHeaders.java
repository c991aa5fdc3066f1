package io.oxbow.contracts.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead-letter record (default topic {@code access-logs.dlq}): the one place their
 * names are spelled. The stream processor and the batch loader write them with {@link #write}, the
 * serving API reads them with {@link #read}. Every value is UTF-8 text:
 *
 * <ul>
 *   <li>{@value #STAGE}: a {@link DeadLetterStage#code()} ({@code deserialize}, {@code parse},
 *       {@code validate}, {@code attribute}, {@code process}, {@code produce}, {@code land});
 *   <li>{@value #REASON}: a {@link DeadLetterReason} name;
 *   <li>{@value #COLUMN}: the 1-based byte column where parsing stopped (stage {@code parse});
 *   <li>{@value #EXCEPTION_CLASS} and {@value #EXCEPTION_MESSAGE} (at most {@value
 *       #MAX_MESSAGE_CHARS} characters);
 *   <li>{@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}: where the
 *       record was read from;
 *   <li>{@value #TIME}: when it was dead-lettered, ISO-8601 UTC (e.g. {@code
 *       2026-12-05T07:00:00.123Z}).
 * </ul>
 *
 * <p>The reader also accepts what the batch loader wrote before this contract, so dead letters
 * already in a topic still show: {@code oxbow.dlq.exception}, {@code oxbow.dlq.topic}, {@code
 * oxbow.dlq.partition}, {@code oxbow.dlq.offset}, the stage {@code batch-landing} and a time in
 * epoch milliseconds.
 */
public final class DeadLetterHeaders {
  /** Prefix of every header name. */
  private static final String PREFIX = "oxbow.dlq.";

  /** The stage that rejected the record. */
  public static final String STAGE = PREFIX + "stage";

  /** The reason code. */
  public static final String REASON = PREFIX + "reason";

  /** The 1-based byte column where parsing stopped. */
  public static final String COLUMN = PREFIX + "column";

  /** The exception's class name. */
  public static final String EXCEPTION_CLASS = PREFIX + "exception.class";

  /** The exception's message. */
  public static final String EXCEPTION_MESSAGE = PREFIX + "exception.message";

  /** The topic the record was read from. */
  public static final String SOURCE_TOPIC = PREFIX + "source.topic";

  /** Its partition. */
  public static final String SOURCE_PARTITION = PREFIX + "source.partition";

  /** Its offset. */
  public static final String SOURCE_OFFSET = PREFIX + "source.offset";

  /** When the record was dead-lettered, ISO-8601 UTC. */
  public static final String TIME = PREFIX + "time";

  /** Every header name {@link #write} may write. */
  public static final List<String> NAMES =
      List.of(
          STAGE,
          REASON,
          COLUMN,
          EXCEPTION_CLASS,
          EXCEPTION_MESSAGE,
          SOURCE_TOPIC,
          SOURCE_PARTITION,
          SOURCE_OFFSET,
          TIME);

  /** Longest exception message kept. */
  public static final int MAX_MESSAGE_CHARS = 1000;

  // names the batch loader wrote before this contract; read, never written
  private static final String LEGACY_EXCEPTION_CLASS = PREFIX + "exception";
  private static final String LEGACY_SOURCE_TOPIC = PREFIX + "topic";
  private static final String LEGACY_SOURCE_PARTITION = PREFIX + "partition";
  private static final String LEGACY_SOURCE_OFFSET = PREFIX + "offset";

  private DeadLetterHeaders() {}

  /** New headers holding {@code letter}. */
  public static Headers of(DeadLetter letter) {
    return write(letter, new RecordHeaders());
  }

  /**
   * Adds {@code letter} to {@code headers}; a null field is left out.
   *
   * @return {@code headers}
   */
  public static Headers write(DeadLetter letter, Headers headers) {
    put(headers, STAGE, letter.stage());
    put(headers, REASON, letter.reason());
    put(headers, COLUMN, letter.column());
    put(headers, EXCEPTION_CLASS, letter.exceptionClass());
    put(headers, EXCEPTION_MESSAGE, letter.exceptionMessage());
    put(headers, SOURCE_TOPIC, letter.sourceTopic());
    put(headers, SOURCE_PARTITION, letter.sourcePartition());
    put(headers, SOURCE_OFFSET, letter.sourceOffset());
    put(headers, TIME, letter.time());
    return headers;
  }

  /**
   * The dead letter {@code headers} describe; a field whose header is missing or unreadable is
   * null. The stage is returned as its current code ({@code batch-landing} reads as {@code land}),
   * the reason as written.
   */
  public static DeadLetter read(Headers headers) {
    String stage = text(headers, STAGE);
    return new DeadLetter(
        DeadLetterStage.fromCode(stage).map(DeadLetterStage::code).orElse(stage),
        text(headers, REASON),
        toInt(wholeNumber(text(headers, COLUMN))),
        either(headers, EXCEPTION_CLASS, LEGACY_EXCEPTION_CLASS),
        text(headers, EXCEPTION_MESSAGE),
        either(headers, SOURCE_TOPIC, LEGACY_SOURCE_TOPIC),
        toInt(wholeNumber(either(headers, SOURCE_PARTITION, LEGACY_SOURCE_PARTITION))),
        wholeNumber(either(headers, SOURCE_OFFSET, LEGACY_SOURCE_OFFSET)),
        time(text(headers, TIME)));
  }

  /** The text of the last header {@code name}, or null. */
  private static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String either(Headers headers, String name, String legacyName) {
    String value = text(headers, name);
    return value != null ? value : text(headers, legacyName);
  }

  private static void put(Headers headers, String name, Object value) {
    if (value != null) {
      headers.add(name, value.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Long wholeNumber(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Integer toInt(Long value) {
    return value == null || value != value.intValue() ? null : value.intValue();
  }

  /** ISO-8601 as written now, or epoch millis as the batch loader wrote before. */
  private static Instant time(String text) {
    if (text == null) {
      return null;
    }
    Long millis = wholeNumber(text);
    if (millis != null) {
      return Instant.ofEpochMilli(millis);
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
