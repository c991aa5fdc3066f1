package io.oxbow.accesslog;

import io.oxbow.contracts.avro.AccessLogEvent;

/**
 * The outcome of parsing one line: either {@link Parsed} with the event or {@link Rejected} with a
 * reason code and the 1-based byte column where parsing stopped. The parser never throws.
 */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Rejected {

  /** True for {@link Parsed}. */
  boolean isParsed();

  /**
   * A line that became an event.
   *
   * @param event the parsed event; enrichment fields (country, ua_*, is_bot) are null/false
   */
  record Parsed(AccessLogEvent event) implements ParseResult {
    @Override
    public boolean isParsed() {
      return true;
    }
  }

  /**
   * A line that is not an access-log entry in the expected format.
   *
   * @param reason why the line was rejected
   * @param column 1-based byte column in the line where parsing stopped
   */
  record Rejected(RejectReason reason, int column) implements ParseResult {
    @Override
    public boolean isParsed() {
      return false;
    }
  }
}
