package io.oxbow.stream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Header names of {@code access-logs.dlq} records. The record's key and value are the original
 * bytes of the source record, so a dead letter can be inspected and replayed as it arrived; every
 * header value is UTF-8 text.
 *
 * <ul>
 *   <li>{@code oxbow.dlq.stage}: {@code deserialize}, {@code parse}, {@code process} or {@code
 *       produce};
 *   <li>{@code oxbow.dlq.reason}: a reason code, e.g. {@code TRUNCATED} (the parser's codes) or
 *       {@code DESERIALIZATION_ERROR}, {@code PROCESSING_ERROR}, {@code PRODUCTION_ERROR};
 *   <li>{@code oxbow.dlq.column}: the 1-based byte column where parsing stopped (parse stage only);
 *   <li>{@code oxbow.dlq.exception.class} and {@code oxbow.dlq.exception.message};
 *   <li>{@code oxbow.dlq.source.topic}, {@code oxbow.dlq.source.partition}, {@code
 *       oxbow.dlq.source.offset};
 *   <li>{@code oxbow.dlq.time}: when the record was dead-lettered, ISO-8601 UTC.
 * </ul>
 */
public final class DlqHeaders {
  /** Stage that rejected the record. */
  public static final String STAGE = "oxbow.dlq.stage";

  /** Reason code. */
  public static final String REASON = "oxbow.dlq.reason";

  /** 1-based byte column (parse stage). */
  public static final String COLUMN = "oxbow.dlq.column";

  /** Exception class name. */
  public static final String EXCEPTION_CLASS = "oxbow.dlq.exception.class";

  /** Exception message. */
  public static final String EXCEPTION_MESSAGE = "oxbow.dlq.exception.message";

  /** Source topic. */
  public static final String SOURCE_TOPIC = "oxbow.dlq.source.topic";

  /** Source partition. */
  public static final String SOURCE_PARTITION = "oxbow.dlq.source.partition";

  /** Source offset. */
  public static final String SOURCE_OFFSET = "oxbow.dlq.source.offset";

  /** When the record was dead-lettered. */
  public static final String TIME = "oxbow.dlq.time";

  private DlqHeaders() {}

  /** The headers of one dead letter; {@code column} is omitted when negative. */
  static Headers of(
      String stage,
      String reason,
      int column,
      Throwable exception,
      String topic,
      int partition,
      long offset,
      Instant time) {
    RecordHeaders h = new RecordHeaders();
    put(h, STAGE, stage);
    put(h, REASON, reason);
    if (column >= 0) {
      put(h, COLUMN, Integer.toString(column));
    }
    put(h, EXCEPTION_CLASS, exception.getClass().getName());
    put(h, EXCEPTION_MESSAGE, String.valueOf(exception.getMessage()));
    put(h, SOURCE_TOPIC, String.valueOf(topic));
    put(h, SOURCE_PARTITION, Integer.toString(partition));
    put(h, SOURCE_OFFSET, Long.toString(offset));
    put(h, TIME, time.toString());
    return h;
  }

  private static void put(RecordHeaders h, String name, String value) {
    h.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The text of header {@code name}, or null. */
  public static String text(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}
