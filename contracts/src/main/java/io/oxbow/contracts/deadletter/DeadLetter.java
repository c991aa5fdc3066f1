package io.oxbow.contracts.deadletter;

import java.time.Instant;
import java.util.Objects;

/**
 * What the headers of one dead letter say: the record's key and value stay the source record's
 * original bytes, so it can be inspected and replayed as it arrived. Written with {@link
 * DeadLetterHeaders#write}, read back with {@link DeadLetterHeaders#read}; a field is null when a
 * record read back lacks its header (dead letters written by hand or by an older version).
 *
 * @param stage the {@link DeadLetterStage#code()} of the stage that rejected the record
 * @param reason the {@link DeadLetterReason} name; read back as written, so a code from another
 *     version still shows
 * @param column the 1-based byte column where parsing stopped (stage {@code parse} only), else null
 * @param exceptionClass the class of the exception that rejected the record
 * @param exceptionMessage its message (its {@code toString()} when it has none), at most {@value
 *     DeadLetterHeaders#MAX_MESSAGE_CHARS} characters, naming the field where there is one
 * @param sourceTopic the topic the record was read from
 * @param sourcePartition its partition
 * @param sourceOffset its offset
 * @param time when the record was dead-lettered
 */
public record DeadLetter(
    String stage,
    String reason,
    Integer column,
    String exceptionClass,
    String exceptionMessage,
    String sourceTopic,
    Integer sourcePartition,
    Long sourceOffset,
    Instant time) {

  /**
   * A dead letter for the record at {@code topic}-{@code partition}@{@code offset}, rejected by
   * {@code error} at {@code time}; no column.
   */
  public static DeadLetter of(
      DeadLetterStage stage,
      DeadLetterReason reason,
      Throwable error,
      String topic,
      int partition,
      long offset,
      Instant time) {
    Objects.requireNonNull(error, "error");
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    if (message.length() > DeadLetterHeaders.MAX_MESSAGE_CHARS) {
      message = message.substring(0, DeadLetterHeaders.MAX_MESSAGE_CHARS);
    }
    return new DeadLetter(
        stage.code(),
        reason.name(),
        null,
        error.getClass().getName(),
        message,
        topic,
        partition,
        offset,
        time);
  }

  /** This dead letter with the 1-based byte {@code column} where parsing stopped. */
  public DeadLetter withColumn(int column) {
    return new DeadLetter(
        stage,
        reason,
        column,
        exceptionClass,
        exceptionMessage,
        sourceTopic,
        sourcePartition,
        sourceOffset,
        time);
  }
}
