package io.oxbow.serving.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.serving.query.TierChoice.Segment;
import io.oxbow.views.WindowSize;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TierChoiceTest {
  private static final List<String> BOTH = List.of("1h", "1d");

  private static long t(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void shouldServeWholeDaysFromTheDayTierAndTheEdgesFromTheFinerTiers() {
    assertThat(
            TierChoice.segments(
                Granularity.DAY,
                WindowSize.ONE_MINUTE,
                BOTH,
                t("2025-01-01T10:30:00Z"),
                t("2025-01-05T08:20:00Z")))
        .containsExactly(
            new Segment(null, t("2025-01-01T10:30:00Z"), t("2025-01-01T11:00:00Z")),
            new Segment("1h", t("2025-01-01T11:00:00Z"), t("2025-01-02T00:00:00Z")),
            new Segment("1d", t("2025-01-02T00:00:00Z"), t("2025-01-05T00:00:00Z")),
            new Segment("1h", t("2025-01-05T00:00:00Z"), t("2025-01-05T08:00:00Z")),
            new Segment(null, t("2025-01-05T08:00:00Z"), t("2025-01-05T08:20:00Z")));
  }

  @Test
  void shouldTakeOnlyTheTiersTheGranularityAndTheViewAllow() {
    long from = t("2025-01-01T00:00:00Z");
    long to = t("2025-01-03T00:00:00Z");
    assertThat(TierChoice.segments(Granularity.HOUR, WindowSize.ONE_MINUTE, BOTH, from, to))
        .containsExactly(new Segment("1h", from, to));
    assertThat(TierChoice.segments(Granularity.FIVE_MINUTES, WindowSize.ONE_MINUTE, BOTH, from, to))
        .containsExactly(new Segment(null, from, to));
    assertThat(TierChoice.segments(Granularity.MONTH, WindowSize.ONE_MINUTE, BOTH, from, to))
        .containsExactly(new Segment("1d", from, to));
    assertThat(TierChoice.segments(Granularity.ALL, WindowSize.ONE_MINUTE, BOTH, from, to))
        .containsExactly(new Segment("1d", from, to));
    // an hour view has no hour tier to take; a lake without tiers has none
    assertThat(
            TierChoice.segments(Granularity.DAY, WindowSize.ONE_HOUR, BOTH, from, to + 3_600_000))
        .containsExactly(new Segment("1d", from, to), new Segment(null, to, to + 3_600_000));
    assertThat(TierChoice.segments(Granularity.DAY, WindowSize.ONE_MINUTE, List.of(), from, to))
        .containsExactly(new Segment(null, from, to));
  }
}
