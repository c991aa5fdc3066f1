package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayClockTest {
  private static final Instant FIRST = Instant.parse("2015-05-17T10:00:00Z");
  private static final Instant LAST = Instant.parse("2015-05-17T16:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @Test
  void atSixtyTimesSixHoursTakeSixMinutesAndTheLastLineLandsWhenSent() {
    ReplayClock clock = ReplayClock.plan(FIRST, LAST, NOW, 60, false);
    assertThat(clock.due(FIRST)).isEqualTo(NOW);
    assertThat(clock.due(LAST)).isEqualTo(NOW.plus(Duration.ofMinutes(6)));
    assertThat(clock.eventTime(LAST)).isEqualTo(clock.due(LAST));
    assertThat(clock.eventTime(FIRST))
        .isEqualTo(NOW.plus(Duration.ofMinutes(6)).minusSeconds(6 * 3600));
  }

  @Test
  void maxSpeedSendsAtOnceAndTheLastLineLandsNow() {
    ReplayClock clock = ReplayClock.plan(FIRST, LAST, NOW, 0, false);
    assertThat(clock.due(LAST)).isEqualTo(NOW);
    assertThat(clock.eventTime(LAST)).isEqualTo(NOW);
  }

  @Test
  void keepTimeLeavesEventTimesAlone() {
    ReplayClock clock = ReplayClock.plan(FIRST, LAST, NOW, 60, true);
    assertThat(clock.eventTime(LAST)).isEqualTo(LAST);
  }

  @Test
  void resumingKeepsTheShiftAndPacesFromTheNextLine() {
    ReplayClock clock = ReplayClock.plan(FIRST, LAST, NOW, 60, false);
    Instant next = FIRST.plus(Duration.ofHours(3));
    Instant later = NOW.plus(Duration.ofDays(1));
    ReplayClock resumed = clock.resumeAt(next, later);
    assertThat(resumed.shift()).isEqualTo(clock.shift());
    assertThat(resumed.due(next)).isEqualTo(later);
    assertThat(resumed.due(LAST)).isEqualTo(later.plus(Duration.ofMinutes(3)));
  }

  @Test
  void rejectsNonsenseSpeeds() {
    assertThatThrownBy(() -> ReplayClock.plan(FIRST, LAST, NOW, -1, false))
        .hasMessageContaining("speed");
  }
}
