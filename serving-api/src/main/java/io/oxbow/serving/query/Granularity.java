package io.oxbow.serving.query;

import io.oxbow.views.WindowSize;
import java.time.Instant;
import java.util.Locale;

/**
 * The time buckets of a query's rows: a window size at least as coarse as the view's own, or {@link
 * #ALL} for one bucket over the whole range. Written {@code minute}, {@code 5m}, {@code hour},
 * {@code day}, {@code all}, or a view window id ({@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}).
 */
public enum Granularity {
  /** One-minute buckets. */
  MINUTE("minute", WindowSize.ONE_MINUTE),
  /** Five-minute buckets. */
  FIVE_MINUTES("5m", WindowSize.FIVE_MINUTES),
  /** One-hour buckets. */
  HOUR("hour", WindowSize.ONE_HOUR),
  /** One UTC day buckets. */
  DAY("day", WindowSize.ONE_DAY),
  /** One bucket holding the whole range; its window_start is the query's {@code from}. */
  ALL("all", null);

  private final String id;
  private final WindowSize window;

  Granularity(String id, WindowSize window) {
    this.id = id;
    this.window = window;
  }

  /** The name used in queries. */
  public String id() {
    return id;
  }

  /** The bucket size; null for {@link #ALL}. */
  public WindowSize window() {
    return window;
  }

  /** True when this granularity is no finer than {@code viewWindow}, so it can roll a view up. */
  public boolean fits(WindowSize viewWindow) {
    return window == null || window.isMultipleOf(viewWindow);
  }

  /**
   * How many buckets of this granularity {@code [from, to)} touches ({@code from} before {@code
   * to}).
   */
  public long buckets(Instant from, Instant to) {
    if (window == null) {
      return 1;
    }
    long size = window.millis();
    return Math.floorDiv(to.toEpochMilli() - 1, size)
        - Math.floorDiv(from.toEpochMilli(), size)
        + 1;
  }

  /** The granularity of a view's own window. */
  public static Granularity of(WindowSize window) {
    for (Granularity g : values()) {
      if (g.window == window) {
        return g;
      }
    }
    throw new IllegalArgumentException("no granularity for window " + window);
  }

  /**
   * The granularity written {@code text} (case-insensitive): a name or a window id.
   *
   * @throws IllegalArgumentException listing the accepted values when none matches
   */
  public static Granularity parse(String text) {
    String lower = text.trim().toLowerCase(Locale.ROOT);
    for (Granularity g : values()) {
      if (g.id.equals(lower) || (g.window != null && g.window.id().equals(lower))) {
        return g;
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a granularity (minute, 5m, hour, day or all)");
  }
}
