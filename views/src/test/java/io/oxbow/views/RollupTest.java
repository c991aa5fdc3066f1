package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.AccessLogEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Roll-ups of fine windows to coarse ones, and across dimensions, over the whole sample. */
class RollupTest {
  private static final ViewFolder TRAFFIC = ViewCatalog.defaults().folder("traffic");

  /**
   * The sample's requests all fall in minute 5 of their hour; spread them over the hour (moving
   * each by a multiple of 7 minutes, mod 60) so hours really hold many minute windows.
   */
  private static final List<AccessLogEvent> EVENTS =
      SampleData.elasticEvents(line -> Duration.ofMinutes((line.length() * 7L) % 55));

  private static final Map<GroupKey, Aggregate> MINUTES = TRAFFIC.fold(EVENTS);

  private final ViewFolder traffic = TRAFFIC;
  private final List<AccessLogEvent> events = EVENTS;
  private final Map<GroupKey, Aggregate> minutes = MINUTES;

  @Test
  void shouldRollOneMinuteWindowsUpToTheHourlyView() {
    ViewFolder hourly = traffic.rolledUp(WindowSize.ONE_HOUR, traffic.definition().dimensions());

    Map<GroupKey, Aggregate> rolled = traffic.rollUp(minutes, hourly);
    Map<GroupKey, Aggregate> direct = hourly.fold(events);

    assertThat(rolled).hasSizeLessThan(minutes.size() / 5);
    assertThat(rolled.keySet())
        .allSatisfy(key -> assertThat(key.windowStart() % 3_600_000).isZero());
    ViewAssertions.assertGroupsAgree(hourly, rolled, direct, events);
  }

  @Test
  void shouldMergeGroupsOfADroppedDimension() {
    ViewFolder byClass = traffic.rolledUp(WindowSize.ONE_HOUR, List.of("status_class"));

    Map<GroupKey, Aggregate> rolled = traffic.rollUp(minutes, byClass);

    ViewAssertions.assertGroupsAgree(byClass, rolled, byClass.fold(events), events);
    assertThat(rolled.keySet()).allSatisfy(key -> assertThat(key.dimensions()).hasSize(1));
  }

  @Test
  void shouldGiveTheSameExactResultThroughIntermediateWindows() {
    ViewFolder fiveMinutes =
        traffic.rolledUp(WindowSize.FIVE_MINUTES, List.of("is_bot", "country"));
    ViewFolder hours = traffic.rolledUp(WindowSize.ONE_HOUR, List.of("is_bot", "country"));
    ViewFolder days = traffic.rolledUp(WindowSize.ONE_DAY, List.of("is_bot"));

    Map<GroupKey, Aggregate> stepwise =
        hours.rollUp(fiveMinutes.rollUp(traffic.rollUp(minutes, fiveMinutes), hours), days);
    Map<GroupKey, Aggregate> direct = traffic.rollUp(minutes, days);

    ViewAssertions.assertExactBytesEqual(days, stepwise, direct);
    ViewAssertions.assertGroupsAgree(days, stepwise, days.fold(events), events);
  }

  @Test
  void shouldLeaveTheFineGroupsUntouched() {
    Map<GroupKey, Aggregate> before = traffic.fold(events);
    traffic.rollUp(minutes, traffic.rolledUp(WindowSize.ONE_DAY, List.of()));

    ViewAssertions.assertExactBytesEqual(traffic, minutes, before);
  }

  @Test
  void shouldRefuseRollUpsThatCannotBeExact() {
    ViewFolder pages = ViewCatalog.defaults().folder("pages");

    assertThatThrownBy(() -> pages.rolledUp(WindowSize.ONE_MINUTE, List.of("path")))
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageContaining("window 1m is not a multiple of 1h");
    assertThatThrownBy(() -> traffic.rolledUp(WindowSize.ONE_HOUR, List.of("path")))
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageContaining("dimension 'path' is not a dimension of 'traffic'");
    assertThatThrownBy(() -> traffic.rollUp(minutes, ViewCatalog.defaults().folder("errors")))
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageContaining("source and filter must be the same");
  }
}
