package io.oxbow.cli.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds and rewrites the Apache/nginx {@code [dd/MMM/yyyy:HH:mm:ss +zzzz]} timestamp of an access
 * log line, so the demo can replay old logs as if they happened now. The rest of the line is kept
 * byte for byte (it may not be UTF-8); the offset written in the line is kept too.
 */
public final class LogTimestamp {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
  private static final int LENGTH = "dd/MMM/yyyy:HH:mm:ss +zzzz".length();

  private LogTimestamp() {}

  /** Where a timestamp sits in a line and what instant it names. */
  public record Found(int start, Instant instant, ZoneOffset offset) {}

  /** The first bracketed timestamp of the line, if any. */
  public static Optional<Found> find(byte[] line) {
    for (int i = 0; i + LENGTH + 1 < line.length; i++) {
      if (line[i] == '[' && line[i + LENGTH + 1] == ']') {
        String text = new String(line, i + 1, LENGTH, StandardCharsets.US_ASCII);
        try {
          OffsetDateTime t = OffsetDateTime.parse(text, FORMAT);
          return Optional.of(new Found(i + 1, t.toInstant(), t.getOffset()));
        } catch (DateTimeParseException notATimestamp) {
          // keep scanning: a '[' inside the line is not necessarily the timestamp
        }
      }
    }
    return Optional.empty();
  }

  /** A copy of the line with its timestamp moved to {@code instant}, in the line's own offset. */
  public static byte[] rewrite(byte[] line, Found found, Instant instant) {
    String text = FORMAT.format(instant.atOffset(found.offset()));
    byte[] copy = line.clone();
    System.arraycopy(text.getBytes(StandardCharsets.US_ASCII), 0, copy, found.start(), LENGTH);
    return copy;
  }
}
