package io.oxbow.batch.retention;

import java.util.Locale;

/**
 * What the age of landed rows and view buckets is judged against ({@code batch.retention.clock}).
 */
public enum RetentionClock {
  /**
   * The data's own newest time (the default): for a view, the end of the newest hour it has
   * compacted (at most its watermark); for a landed dataset, the oldest of its partitions' newest
   * landed event times. A replay of years-old logs is kept as if it were live, and a pause in input
   * removes nothing.
   */
  DATA_TIME("data-time"),
  /** The wall clock: what is older than the period by the clock goes, whenever it was landed. */
  WALL_CLOCK("wall-clock");

  private final String text;

  RetentionClock(String text) {
    this.text = text;
  }

  /**
   * The clock {@code text} names.
   *
   * @throws IllegalArgumentException naming the choices
   */
  public static RetentionClock parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (RetentionClock clock : values()) {
      if (clock.text.equals(t)) {
        return clock;
      }
    }
    throw new IllegalArgumentException("data-time or wall-clock");
  }

  @Override
  public String toString() {
    return text;
  }
}
