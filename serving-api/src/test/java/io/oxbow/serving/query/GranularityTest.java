package io.oxbow.serving.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.views.WindowSize;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import org.junit.jupiter.api.Test;

/** The calendar buckets of {@code week} (ISO, Monday 00:00 UTC) and {@code month} (UTC). */
class GranularityTest {
  private static long millis(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private static String weekOf(String instant) {
    return Instant.ofEpochMilli(Granularity.WEEK.bucketStart(millis(instant))).toString();
  }

  private static String monthOf(String instant) {
    return Instant.ofEpochMilli(Granularity.MONTH.bucketStart(millis(instant))).toString();
  }

  @Test
  void shouldStartAWeekOnMondayAtMidnightUtc() {
    // 2026-11-29 is a Sunday, 2026-11-30 a Monday
    assertThat(weekOf("2026-11-29T23:59:59.999Z")).isEqualTo("2026-11-23T00:00:00Z");
    assertThat(weekOf("2026-11-30T00:00:00Z")).isEqualTo("2026-11-30T00:00:00Z");
    assertThat(weekOf("2026-12-02T12:00:00Z")).isEqualTo("2026-11-30T00:00:00Z");
    assertThat(Granularity.WEEK.bucketEnd(millis("2026-11-30T00:00:00Z")))
        .isEqualTo(millis("2026-12-07T00:00:00Z"));
    // the epoch was a Thursday: its week starts the Monday before
    assertThat(weekOf("1970-01-01T00:00:00Z")).isEqualTo("1969-12-29T00:00:00Z");
  }

  @Test
  void shouldKeepAnIsoWeekWholeAcrossTheNewYearIncludingWeek53() {
    // 2024-12-31 (Tuesday) and 2025-01-01 (Wednesday) share ISO week 1 of 2025
    assertThat(weekOf("2024-12-31T23:59:59Z")).isEqualTo("2024-12-30T00:00:00Z");
    assertThat(weekOf("2025-01-01T00:00:00Z")).isEqualTo("2024-12-30T00:00:00Z");
    // 2020 has an ISO week 53: Monday 2020-12-28 to Sunday 2021-01-03
    long week53 = millis("2020-12-28T00:00:00Z");
    assertThat(
            Instant.ofEpochMilli(week53)
                .atZone(ZoneOffset.UTC)
                .get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))
        .isEqualTo(53);
    assertThat(weekOf("2021-01-03T23:59:59Z")).isEqualTo("2020-12-28T00:00:00Z");
    assertThat(weekOf("2021-01-04T00:00:00Z")).isEqualTo("2021-01-04T00:00:00Z");
  }

  @Test
  void shouldCutMonthsAtTheFirstDayUtcWithLeapFebruaries() {
    assertThat(monthOf("2025-12-31T23:59:59.999Z")).isEqualTo("2025-12-01T00:00:00Z");
    assertThat(monthOf("2026-01-01T00:00:00Z")).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(monthOf("2024-02-29T12:00:00Z")).isEqualTo("2024-02-01T00:00:00Z");
    assertThat(Granularity.MONTH.bucketEnd(millis("2024-02-01T00:00:00Z")))
        .isEqualTo(millis("2024-03-01T00:00:00Z"));
    assertThat(Granularity.MONTH.bucketEnd(millis("2023-02-01T00:00:00Z")))
        .isEqualTo(millis("2023-03-01T00:00:00Z"));
    assertThat(monthOf("2024-03-01T00:00:00Z")).isEqualTo("2024-03-01T00:00:00Z");
  }

  @Test
  void shouldCountTheBucketsARangeTouches() {
    Instant from = Instant.parse("2025-01-01T00:00:00Z");
    Instant to = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(Granularity.MONTH.buckets(from, to)).isEqualTo(12);
    // 2025-01-01 is a Wednesday: its week started 2024-12-30, and 2025-12-29 starts the last
    assertThat(Granularity.WEEK.buckets(from, to)).isEqualTo(53);
    assertThat(Granularity.DAY.buckets(from, to)).isEqualTo(365);
    assertThat(Granularity.MINUTE.buckets(from, to)).isEqualTo(525_600);
    assertThat(Granularity.ALL.buckets(from, to)).isEqualTo(1);
    assertThat(
            Granularity.MONTH.buckets(
                Instant.parse("2025-01-31T23:00:00Z"), Instant.parse("2025-02-01T01:00:00Z")))
        .isEqualTo(2);
  }

  @Test
  void shouldParseTheCalendarNamesAndFitEveryView() {
    assertThat(Granularity.parse("Week")).isEqualTo(Granularity.WEEK);
    assertThat(Granularity.parse("month")).isEqualTo(Granularity.MONTH);
    assertThat(Granularity.parse("1d")).isEqualTo(Granularity.DAY);
    for (WindowSize size : WindowSize.values()) {
      assertThat(Granularity.WEEK.fits(size)).isTrue();
      assertThat(Granularity.MONTH.rollUpWindow(size)).isEqualTo(WindowSize.ONE_DAY);
    }
    assertThatThrownBy(() -> Granularity.parse("fortnight"))
        .hasMessageContaining("minute, 5m, hour, day, week, month or all");
  }
}
