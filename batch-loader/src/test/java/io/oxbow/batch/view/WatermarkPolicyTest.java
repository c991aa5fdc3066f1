package io.oxbow.batch.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.landing.PartitionManifest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatermarkPolicyTest {
  private static final long H = 3_600_000L;
  private static final long MIN = 60_000L;
  private static final WatermarkPolicy POLICY =
      new WatermarkPolicy(Duration.ofMinutes(10), Duration.ofMinutes(5));

  private static PartitionManifest active(int p, long maxEventTime, long lastRecordAt) {
    return new PartitionManifest("t", p, 100, maxEventTime, lastRecordAt, false, 0);
  }

  private static PartitionManifest caughtUp(int p, long maxEventTime, long lastRecordAt) {
    return new PartitionManifest("t", p, 100, maxEventTime, lastRecordAt, true, 0);
  }

  @Test
  void shouldCloseAnHourOnlyWhenEveryPartitionPassedItsEndPlusTheLateness() {
    long now = 1000 * H;
    // partition 1 is at 11:09: hour 10 is not closed yet (needs 11:10)
    assertThat(
            POLICY.closedUpTo(
                2, List.of(active(0, 12 * H, now), active(1, 11 * H + 9 * MIN, now)), now))
        .isEqualTo(10 * H);
    assertThat(
            POLICY.closedUpTo(
                2, List.of(active(0, 12 * H, now), active(1, 11 * H + 10 * MIN, now)), now))
        .isEqualTo(11 * H);
  }

  @Test
  void shouldNotLetAnIdlePartitionHoldTheWatermarkBack() {
    long now = 1000 * H;
    List<PartitionManifest> manifests =
        List.of(active(0, 15 * H + 30 * MIN, now), caughtUp(1, 2 * H, now - 6 * MIN));
    assertThat(POLICY.closedUpTo(2, manifests, now)).isEqualTo(15 * H);
    // caught up but a record came 4 minutes ago: not idle yet
    assertThat(
            POLICY.closedUpTo(
                2,
                List.of(active(0, 15 * H + 30 * MIN, now), caughtUp(1, 2 * H, now - 4 * MIN)),
                now))
        .isEqualTo(H);
  }

  @Test
  void shouldUseTheWallClockWhenEveryPartitionIsIdle() {
    long now = 1000 * H + 30 * MIN;
    List<PartitionManifest> manifests =
        List.of(caughtUp(0, 2 * H, now - H), caughtUp(1, 3 * H, now - H));
    assertThat(POLICY.closedUpTo(2, manifests, now)).isEqualTo(1000 * H);
  }

  @Test
  void shouldWaitForEveryPartitionToReport() {
    assertThat(POLICY.closedUpTo(2, List.of(active(0, 12 * H, 0)), 0)).isEqualTo(Long.MIN_VALUE);
    assertThat(POLICY.closedUpTo(0, List.of(), 0)).isEqualTo(Long.MIN_VALUE);
  }
}
