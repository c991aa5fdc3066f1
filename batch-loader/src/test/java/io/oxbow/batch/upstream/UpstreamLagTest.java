package io.oxbow.batch.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class UpstreamLagTest {
  private static final String RAW = "access-logs.raw";
  private static final String GROUP = "oxbow-stream";

  /** A log whose data records sit at the given offsets; every other offset is a marker. */
  private static RecordProbe dataAt(Map<TopicPartition, Set<Long>> records) {
    return ranges ->
        ranges.entrySet().stream()
            .filter(
                e ->
                    records.getOrDefault(e.getKey(), Set.of()).stream()
                        .anyMatch(o -> o >= e.getValue()[0] && o < e.getValue()[1]))
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
  }

  private static PartitionOffsets offsets(int p, long committed, long start, long end) {
    return new PartitionOffsets(
        new TopicPartition(RAW, p),
        committed < 0 ? OptionalLong.empty() : OptionalLong.of(committed),
        start,
        end);
  }

  @Test
  void shouldNotLagWhenTheGroupHasCommittedTheEnd() {
    RecordProbe failIfAsked =
        ranges -> {
          throw new AssertionError("nothing to probe, asked for " + ranges.keySet());
        };
    assertThat(
            UpstreamLag.measure(
                GROUP, List.of(offsets(0, 120, 0, 120), offsets(1, 80, 0, 80)), failIfAsked))
        .isEmpty();
  }

  @Test
  void shouldLagByTheOffsetsUpToTheEndWhenRecordsWait() {
    TopicPartition p1 = new TopicPartition(RAW, 1);
    RecordProbe probe = dataAt(Map.of(p1, Set.of(80L, 81L, 82L)));

    UpstreamLag lag =
        UpstreamLag.measure(GROUP, List.of(offsets(0, 120, 0, 120), offsets(1, 80, 0, 84)), probe)
            .orElseThrow();

    assertThat(lag.records()).isEqualTo(4);
    assertThat(lag.describe())
        .isEqualTo("upstream group oxbow-stream lags 4 records on access-logs.raw");
  }

  @Test
  void shouldNotCountTransactionMarkersAfterTheCommittedOffsetAsLag() {
    // records at 0..9, a commit marker at 10; the group committed 10 (after its last record), or
    // several transactions ended with markers at 10 and 12 and an aborted record at 11
    TopicPartition p0 = new TopicPartition(RAW, 0);
    RecordProbe probe = dataAt(Map.of(p0, Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L)));

    assertThat(UpstreamLag.measure(GROUP, List.of(offsets(0, 10, 0, 11)), probe)).isEmpty();
    assertThat(UpstreamLag.measure(GROUP, List.of(offsets(0, 10, 0, 13)), probe)).isEmpty();
    // but a record before the marker that the group has not consumed is lag
    assertThat(UpstreamLag.measure(GROUP, List.of(offsets(0, 9, 0, 11)), probe))
        .hasValueSatisfying(l -> assertThat(l.records()).isEqualTo(2));
  }

  @Test
  void shouldCountAMissingGroupAsLaggingByEveryRecord() {
    TopicPartition p0 = new TopicPartition(RAW, 0);
    RecordProbe probe = dataAt(Map.of(p0, Set.of(5L, 6L)));

    UpstreamLag lag =
        UpstreamLag.measure(GROUP, List.of(offsets(0, -1, 5, 8), offsets(1, -1, 0, 0)), probe)
            .orElseThrow();

    assertThat(lag.topics()).containsExactly(new UpstreamLag.TopicLag(RAW, 3, true));
    assertThat(lag.describe())
        .isEqualTo(
            "upstream group oxbow-stream lags 3 records on access-logs.raw (no committed offset)");
  }

  @Test
  void shouldNotLagForAMissingGroupWhoseInputsHoldNoRecord() {
    // the topics are empty, or hold only the markers of aborted transactions
    RecordProbe probe = dataAt(Map.of());
    assertThat(
            UpstreamLag.measure(GROUP, List.of(offsets(0, -1, 0, 0), offsets(1, -1, 0, 2)), probe))
        .isEmpty();
  }

  @Test
  void shouldResumeAtTheLogStartWhenTheCommittedOffsetWasDeleted() {
    TopicPartition p0 = new TopicPartition(RAW, 0);
    RecordProbe probe = dataAt(Map.of(p0, Set.of(50L)));
    assertThat(UpstreamLag.measure(GROUP, List.of(offsets(0, 10, 50, 51)), probe))
        .hasValueSatisfying(l -> assertThat(l.records()).isEqualTo(1));
  }

  @Test
  void shouldSumEachInputTopicOnItsOwn() {
    TopicPartition raw = new TopicPartition(RAW, 0);
    TopicPartition orders = new TopicPartition("orders", 0);
    RecordProbe probe = dataAt(Map.of(raw, Set.of(3L), orders, Set.of(7L)));
    UpstreamLag lag =
        UpstreamLag.measure(
                GROUP,
                List.of(
                    offsets(0, 3, 0, 4), new PartitionOffsets(orders, OptionalLong.of(7), 0, 9)),
                probe)
            .orElseThrow();
    assertThat(lag.describe())
        .isEqualTo(
            "upstream group oxbow-stream lags 1 record on access-logs.raw, 2 records on orders");
  }
}
