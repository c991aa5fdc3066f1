package io.oxbow.views;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Tumbling event-time window sizes a view can use. Windows are aligned to the UTC epoch, so a
 * window of every size starts on a boundary of every smaller size and a coarser window is an exact
 * union of finer ones (which is what makes roll-ups exact).
 */
public enum WindowSize {
  /** One minute, written {@code 1m}. */
  ONE_MINUTE("1m", Duration.ofMinutes(1)),
  /** Five minutes, written {@code 5m}. */
  FIVE_MINUTES("5m", Duration.ofMinutes(5)),
  /** One hour, written {@code 1h}. */
  ONE_HOUR("1h", Duration.ofHours(1)),
  /** One UTC day, written {@code 1d}. */
  ONE_DAY("1d", Duration.ofDays(1));

  private final String id;
  private final Duration duration;

  WindowSize(String id, Duration duration) {
    this.id = id;
    this.duration = duration;
  }

  /** The name used in definitions: 1m, 5m, 1h or 1d. */
  public String id() {
    return id;
  }

  /** The window length. */
  public Duration duration() {
    return duration;
  }

  /** The window length in milliseconds. */
  public long millis() {
    return duration.toMillis();
  }

  /** Inclusive start (UTC epoch millis) of the window holding {@code eventTimeMillis}. */
  public long startOf(long eventTimeMillis) {
    return Math.floorDiv(eventTimeMillis, millis()) * millis();
  }

  /** True when windows of this size are exact unions of windows of size {@code finer}. */
  public boolean isMultipleOf(WindowSize finer) {
    return millis() % finer.millis() == 0;
  }

  /**
   * The size written {@code id} in a definition.
   *
   * @throws IllegalArgumentException listing the valid sizes when none matches
   */
  public static WindowSize fromId(String id) {
    for (WindowSize size : values()) {
      if (size.id.equals(id)) {
        return size;
      }
    }
    throw new IllegalArgumentException(
        "unknown window '"
            + id
            + "' (one of "
            + Arrays.stream(values()).map(WindowSize::id).collect(Collectors.joining(", "))
            + ")");
  }
}
