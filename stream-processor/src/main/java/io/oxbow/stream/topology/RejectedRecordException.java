package io.oxbow.stream.topology;

import io.oxbow.contracts.deadletter.DeadLetterReason;
import io.oxbow.contracts.deadletter.DeadLetterStage;

/**
 * Thrown by a topology stage for a record that must go to the dead-letter topic rather than on: the
 * processing exception handler turns it into a DLQ record holding the source record's original
 * bytes and headers naming {@link #stage()}, {@link #reason()} and {@link #column()}, and
 * processing resumes with the next record. Expected rejections are counted, not logged above DEBUG.
 */
public final class RejectedRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final DeadLetterStage stage;
  private final DeadLetterReason reason;
  private final int column;

  /**
   * A rejection.
   *
   * @param stage the stage, e.g. {@link DeadLetterStage#PARSE}
   * @param reason the reason code, e.g. {@link DeadLetterReason#TRUNCATED}
   * @param column 1-based byte column, or -1 when none applies
   * @param message a human-readable explanation naming the record
   */
  public RejectedRecordException(
      DeadLetterStage stage, DeadLetterReason reason, int column, String message) {
    super(message, null, false, false);
    this.stage = stage;
    this.reason = reason;
    this.column = column;
  }

  /** The stage that rejected the record. */
  public DeadLetterStage stage() {
    return stage;
  }

  /** The reason code. */
  public DeadLetterReason reason() {
    return reason;
  }

  /** The 1-based column, or -1. */
  public int column() {
    return column;
  }
}
