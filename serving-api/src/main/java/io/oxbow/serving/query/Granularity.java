package io.oxbow.serving.query;

import io.oxbow.views.WindowSize;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The time buckets of a query's rows: a window size at least as coarse as the view's own, a UTC
 * calendar period ({@link #WEEK}, {@link #MONTH}), or {@link #ALL} for one bucket over the whole
 * range. Written {@code minute}, {@code 5m}, {@code hour}, {@code day}, {@code week}, {@code
 * month}, {@code all}, or a view window id ({@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}).
 *
 * <p>Every bucket is labelled by its period's start, as Druid and Pinot do: a range starting on a
 * Wednesday gets a first week bucket starting the Monday before, holding only the days from the
 * Wednesday on (the query's {@code from} still bounds which windows are read).
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
  /** ISO weeks: from Monday 00:00 UTC to the next Monday. */
  WEEK("week", null),
  /** UTC calendar months: from the first day 00:00 UTC to the next month's first day. */
  MONTH("month", null),
  /** One bucket holding the whole range; its window_start is the query's {@code from}. */
  ALL("all", null);

  private static final long DAY_MILLIS = WindowSize.ONE_DAY.millis();
  private static final long WEEK_MILLIS = 7 * DAY_MILLIS;
  // 1970-01-01 was a Thursday: the first ISO week boundary after the epoch is 4 days later
  private static final long FIRST_MONDAY_MILLIS = 4 * DAY_MILLIS;

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

  /**
   * The fixed bucket size; null for the calendar periods ({@link #WEEK}, {@link #MONTH}) and {@link
   * #ALL}.
   */
  public WindowSize window() {
    return window;
  }

  /** True for {@link #WEEK} and {@link #MONTH}, whose buckets are calendar periods. */
  public boolean isCalendar() {
    return this == WEEK || this == MONTH;
  }

  /**
   * The window size the view's windows are rolled up to before they are put into buckets: the
   * bucket size, a day for the calendar periods (every period is a whole number of UTC days), or
   * the view's own window for {@link #ALL}.
   */
  public WindowSize rollUpWindow(WindowSize viewWindow) {
    if (window != null) {
      return window;
    }
    return isCalendar() ? WindowSize.ONE_DAY : viewWindow;
  }

  /** True when this granularity is no finer than {@code viewWindow}, so it can roll a view up. */
  public boolean fits(WindowSize viewWindow) {
    return window == null || window.isMultipleOf(viewWindow);
  }

  /**
   * The start (UTC epoch millis) of the bucket holding {@code millis}: the bucket's label. Not
   * defined for {@link #ALL}, whose one bucket starts at the query's {@code from}.
   */
  public long bucketStart(long millis) {
    return switch (this) {
      case WEEK ->
          Math.floorDiv(millis - FIRST_MONDAY_MILLIS, WEEK_MILLIS) * WEEK_MILLIS
              + FIRST_MONDAY_MILLIS;
      case MONTH ->
          date(millis)
              .with(TemporalAdjusters.firstDayOfMonth())
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant()
              .toEpochMilli();
      case ALL -> throw new IllegalStateException("granularity=all has no calendar buckets");
      default -> window.startOf(millis);
    };
  }

  /** The exclusive end of the bucket starting at {@code bucketStart}: the next bucket's start. */
  public long bucketEnd(long bucketStart) {
    return switch (this) {
      case WEEK -> bucketStart + WEEK_MILLIS;
      case MONTH ->
          date(bucketStart).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      case ALL -> throw new IllegalStateException("granularity=all has no calendar buckets");
      default -> bucketStart + window.millis();
    };
  }

  /**
   * How many buckets of this granularity {@code [from, to)} touches ({@code from} before {@code
   * to}).
   */
  public long buckets(Instant from, Instant to) {
    long first = from.toEpochMilli();
    long last = to.toEpochMilli() - 1;
    return switch (this) {
      case ALL -> 1;
      case MONTH ->
          ChronoUnit.MONTHS.between(date(first).withDayOfMonth(1), date(last).withDayOfMonth(1))
              + 1;
      case WEEK -> (bucketStart(last) - bucketStart(first)) / WEEK_MILLIS + 1;
      default -> Math.floorDiv(last, window.millis()) - Math.floorDiv(first, window.millis()) + 1;
    };
  }

  private static LocalDate date(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
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
        "'" + text + "' is not a granularity (minute, 5m, hour, day, week, month or all)");
  }
}
