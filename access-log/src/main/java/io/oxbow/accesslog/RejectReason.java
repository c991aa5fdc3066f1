package io.oxbow.accesslog;

/**
 * Why a line was not turned into an {@code AccessLogEvent}. Every rejection carries one of these
 * codes plus the 1-based byte column where parsing stopped (see {@link ParseResult.Rejected}).
 */
public enum RejectReason {
  /** The line is empty or holds only white space. */
  EMPTY,
  /** The line is longer than the parser's {@code maxLineBytes} (default 256 KiB). */
  TOO_LONG,
  /**
   * The raw line holds bytes that are not valid UTF-8 (log escapes such as {@code \xHH} are fine).
   */
  NOT_UTF8,
  /** The line ends before the format's required fields are complete (also: unterminated quote). */
  TRUNCATED,
  /** The client field is neither an IPv4/IPv6 address nor a host name. */
  BAD_CLIENT,
  /** The time field is not {@code [dd/MMM/yyyy:HH:mm:ss +hhmm]} or names an impossible date. */
  BAD_TIMESTAMP,
  /** The request field is not a quoted string (junk inside the quotes is kept, not rejected). */
  BAD_REQUEST_LINE,
  /** The status field is not a 1-3 digit number. */
  BAD_STATUS,
  /** The byte-count field is neither {@code -} nor a number. */
  BAD_BYTES,
  /** A numeric field (port, duration) is not a number. */
  BAD_NUMBER,
  /** A field is malformed (for example an unterminated quote in the middle of the line). */
  BAD_FIELD,
  /** The text between fields does not match the format (wrong separator, unexpected bytes). */
  UNEXPECTED_TEXT,
  /** A defect in the parser itself; reported instead of throwing (never expected). */
  INTERNAL_ERROR
}
