package io.oxbow.batch.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.batch.upstream.TopicInputs;
import io.oxbow.batch.upstream.UpstreamLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

  private static long closedUpTo(int partitions, List<PartitionManifest> manifests, long now) {
    return POLICY.decide("t", manifests, now, TopicInputs.withoutUpstream(partitions)).closedUpTo();
  }

  @Test
  void shouldCloseAnHourOnlyWhenEveryPartitionPassedItsEndPlusTheLateness() {
    long now = 1000 * H;
    // partition 1 is at 11:09: hour 10 is not closed yet (needs 11:10)
    assertThat(
            closedUpTo(2, List.of(active(0, 12 * H, now), active(1, 11 * H + 9 * MIN, now)), now))
        .isEqualTo(10 * H);
    assertThat(
            closedUpTo(2, List.of(active(0, 12 * H, now), active(1, 11 * H + 10 * MIN, now)), now))
        .isEqualTo(11 * H);
  }

  @Test
  void shouldNotLetAnIdlePartitionHoldTheWatermarkBack() {
    long now = 1000 * H;
    List<PartitionManifest> manifests =
        List.of(active(0, 15 * H + 30 * MIN, now), caughtUp(1, 2 * H, now - 6 * MIN));
    assertThat(closedUpTo(2, manifests, now)).isEqualTo(15 * H);
    // caught up but a record came 4 minutes ago: not idle yet
    assertThat(
            closedUpTo(
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
    assertThat(closedUpTo(2, manifests, now)).isEqualTo(1000 * H);
  }

  @Test
  void shouldWaitForEveryPartitionToReport() {
    assertThat(closedUpTo(2, List.of(active(0, 12 * H, 0)), 0)).isEqualTo(Long.MIN_VALUE);
    assertThat(closedUpTo(0, List.of(), 0)).isEqualTo(Long.MIN_VALUE);
  }

  private static final UpstreamLag RAW_LAG =
      new UpstreamLag(
          "oxbow-stream", List.of(new UpstreamLag.TopicLag("access-logs.raw", 23_606, false)));

  /** Inputs with the given upstream lag where partitions {@code unlanded} still hold records. */
  private static TopicInputs inputs(
      int partitions, Optional<UpstreamLag> upstream, Set<Integer> unlanded, List<String> asked) {
    return new TopicInputs() {
      @Override
      public int partitions() {
        return partitions;
      }

      @Override
      public Optional<UpstreamLag> upstream() {
        asked.add("upstream");
        return upstream;
      }

      @Override
      public boolean landedToEnd(int partition, long nextOffset) {
        asked.add("landed " + partition);
        return !unlanded.contains(partition);
      }
    };
  }

  @Test
  void shouldNotLetTheWallClockPassRecordsWaitingUpstream() {
    long now = 1000 * H + 30 * MIN;
    List<PartitionManifest> idle =
        List.of(caughtUp(0, 2 * H + 30 * MIN, now - H), caughtUp(1, 3 * H, now - H));

    WatermarkDecision held =
        POLICY.decide(
            "access-logs.enriched",
            idle,
            now,
            inputs(2, Optional.of(RAW_LAG), Set.of(), new ArrayList<>()));

    // the landed event time holds W (02:30 - 10 min: hour 2 is not closed), not the wall clock
    assertThat(held.closedUpTo()).isEqualTo(2 * H);
    assertThat(held.basis()).isEqualTo("event-time");
    assertThat(held.heldByUpstream()).isTrue();
    assertThat(held.reason())
        .isEqualTo("held: upstream group oxbow-stream lags 23606 records on access-logs.raw");

    WatermarkDecision drained =
        POLICY.decide(
            "access-logs.enriched",
            idle,
            now,
            inputs(2, Optional.empty(), Set.of(), new ArrayList<>()));
    assertThat(drained.closedUpTo()).isEqualTo(1000 * H);
    assertThat(drained.basis()).isEqualTo("wall-clock");
    assertThat(drained.heldByUpstream()).isFalse();
  }

  @Test
  void shouldHoldWhileRecordsTheUpstreamWroteAreNotLanded() {
    long now = 1000 * H;
    List<PartitionManifest> idle =
        List.of(caughtUp(0, 5 * H + 20 * MIN, now - H), caughtUp(1, 3 * H + 20 * MIN, now - H));

    WatermarkDecision d =
        POLICY.decide("t", idle, now, inputs(2, Optional.empty(), Set.of(1), new ArrayList<>()));

    assertThat(d.closedUpTo()).isEqualTo(3 * H);
    assertThat(d.reason()).isEqualTo("held: partitions [1] of t have records not landed yet");
  }

  @Test
  void shouldCloseNothingWhileAnEmptyPartitionWaitsForItsUpstream() {
    long now = 1000 * H;
    List<PartitionManifest> manifests =
        List.of(
            caughtUp(0, 5 * H, now - H),
            new PartitionManifest("t", 1, 0, Long.MIN_VALUE, 0L, true, 0));

    WatermarkDecision d =
        POLICY.decide(
            "t", manifests, now, inputs(2, Optional.of(RAW_LAG), Set.of(), new ArrayList<>()));

    assertThat(d.closedUpTo()).isEqualTo(Long.MIN_VALUE);
    assertThat(d.reason()).startsWith("held: upstream group oxbow-stream lags 23606");
  }

  @Test
  void shouldAskKafkaOnlyAboutPartitionsThatAreOtherwiseIdle() {
    long now = 1000 * H;
    List<String> asked = new ArrayList<>();
    POLICY.decide(
        "t",
        List.of(active(0, 12 * H, now), caughtUp(1, 12 * H, now - MIN)),
        now,
        inputs(2, Optional.of(RAW_LAG), Set.of(), asked));
    assertThat(asked).isEmpty();

    POLICY.decide(
        "t",
        List.of(active(0, 12 * H, now), caughtUp(1, 12 * H, now - H)),
        now,
        inputs(2, Optional.empty(), Set.of(), asked));
    assertThat(asked).containsExactly("upstream", "landed 1");
  }
}
