package io.oxbow.runtime.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text-to-value conversions for {@link Setting}s; each failure says what was expected. */
final class Parsers {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?");

  private Parsers() {}

  static int integer(String text, int min, int max) {
    long value = longValue(text, min, max);
    return (int) value;
  }

  static OptionalInt countOrAuto(String text) {
    if (text.trim().toLowerCase(Locale.ROOT).equals("auto")) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(integer(text, 1, Short.MAX_VALUE));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected auto or a whole number from 1 to 32767");
    }
  }

  static long longValue(String text, long min, long max) {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
    }
    return value;
  }

  static boolean bool(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "expected a duration such as 500ms, 30s, 5m, 24h, 1d or PT5M");
    }
  }

  static long bytes(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a size such as 65536, 64KiB or 8MiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    long factor =
        switch (unit) {
          case "kb" -> 1000L;
          case "kib" -> 1024L;
          case "mb" -> 1000L * 1000;
          case "mib" -> 1024L * 1024;
          case "gb" -> 1000L * 1000 * 1000;
          case "gib" -> 1024L * 1024 * 1024;
          default -> 1L;
        };
    return Math.multiplyExact(n, factor);
  }
}
