package io.oxbow.batch.retention;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How long retention keeps something: a positive duration ({@code 30d}, {@code 730d}, {@code 12h})
 * or {@code forever}.
 *
 * @param duration the period, or empty for {@code forever}
 */
public record RetentionPeriod(Optional<Duration> duration) {
  /** The spelling of a period that never ends. */
  public static final String FOREVER = "forever";

  /** Kept without end. */
  public static RetentionPeriod forever() {
    return new RetentionPeriod(Optional.empty());
  }

  /** Kept for {@code duration}. */
  public static RetentionPeriod of(Duration duration) {
    return new RetentionPeriod(Optional.of(duration));
  }

  /** Refuses a period that is not positive. */
  public RetentionPeriod {
    if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
      throw new IllegalArgumentException(
          "a positive duration such as 30d or 730d, or " + FOREVER + "; not " + duration.get());
    }
  }

  /**
   * The period {@code text} spells: {@code forever}, or a duration as every setting takes it
   * ({@code 90d}, {@code 36h}, {@code PT12H}).
   *
   * @throws IllegalArgumentException with what is expected, for anything else (0 and negative
   *     durations included)
   */
  public static RetentionPeriod parse(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals(FOREVER)) {
      return forever();
    }
    Duration duration;
    try {
      duration = parseDuration(trimmed);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "a positive duration such as 30d, 730d or 12h, or " + FOREVER);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(
          "a positive duration such as 30d, 730d or 12h, or " + FOREVER + " (0 is not a period)");
    }
    return of(duration);
  }

  private static Duration parseDuration(String text) {
    if (text.startsWith("p")) {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    }
    int unit = 0;
    while (unit < text.length()
        && (Character.isDigit(text.charAt(unit)) || text.charAt(unit) == '-')) {
      unit++;
    }
    long n = Long.parseLong(text.substring(0, unit));
    return switch (text.substring(unit)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> throw new IllegalArgumentException("unknown unit");
    };
  }

  /** True for {@code forever}. */
  public boolean isForever() {
    return duration.isEmpty();
  }

  /**
   * The first bucket start kept at {@code clock}: every bucket of {@code bucketMillis} ending at or
   * before {@code clock} minus the period goes; {@link Long#MIN_VALUE} when kept forever or the
   * clock is unknown ({@link Long#MIN_VALUE}).
   */
  public long horizon(long clock, long bucketMillis) {
    if (duration.isEmpty() || clock == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    return Math.floorDiv(clock - duration.get().toMillis(), bucketMillis) * bucketMillis;
  }

  /** True when this keeps at least as long as {@code other}. */
  public boolean atLeast(RetentionPeriod other, Duration plus) {
    if (isForever()) {
      return true;
    }
    if (other.isForever()) {
      return false;
    }
    return duration.get().compareTo(other.duration.get().plus(plus)) >= 0;
  }

  /** True when this keeps at least {@code minimum}. */
  public boolean atLeast(Duration minimum) {
    return isForever() || duration.get().compareTo(minimum) >= 0;
  }

  @Override
  public String toString() {
    if (isForever()) {
      return FOREVER;
    }
    Duration d = duration.get();
    return d.toMillis() % 86_400_000L == 0 ? d.toDays() + "d" : d.toString();
  }
}
