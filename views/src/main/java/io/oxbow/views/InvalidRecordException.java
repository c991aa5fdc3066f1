package io.oxbow.views;

/**
 * An input record cannot be folded into a view: a field the view reads is missing, has a type the
 * view cannot use, or holds a value a metric rejects. The message names the view, the field and the
 * record's schema, so the caller (a Streams exception handler, the batch loader) can route the
 * record to a dead-letter queue with a clear reason; records are never dropped silently.
 */
public class InvalidRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with a message naming the view, field and record. */
  public InvalidRecordException(String message) {
    super(message);
  }

  /** An error with a message naming the view, field and record, and its cause. */
  public InvalidRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
