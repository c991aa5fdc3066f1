package io.oxbow.batch.landing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLanderTest {
  private static final long H = LandedFile.HOUR_MS;
  private static final DatasetSpec SPEC = DatasetSpec.of("hits", "event_time");

  @TempDir Path staging;

  private PartitionLander lander(long maxRows, Duration rotate) {
    return new PartitionLander(
        SPEC,
        0,
        new RollPolicy(maxRows, 64L << 20, rotate),
        staging,
        PartitionManifest.empty("hits", 0, -1));
  }

  private static List<String> names(PartitionLander lander) {
    return lander.ready().stream().map(f -> f.file().fileName()).toList();
  }

  @Test
  void shouldRollByRowCountAndTileTheOffsets() throws Exception {
    PartitionLander lander = lander(3, Duration.ofHours(1));
    for (int i = 0; i < 7; i++) {
      lander.add(LandingRow.of(TestRecords.v1("r" + i, 10 * H + i)), 100 + i, 0, 10 * H + i, 0);
    }
    assertThat(names(lander)).containsExactly("hits+0+100-102.parquet", "hits+0+103-105.parquet");
    assertThat(lander.pendingRows()).isEqualTo(7);
    assertThat(lander.commitOffset()).isEqualTo(106);
  }

  @Test
  void shouldStartANewFileWhenTheEventHourOrTheSchemaChanges() throws Exception {
    PartitionLander lander = lander(1000, Duration.ofHours(1));
    lander.add(LandingRow.of(TestRecords.v1("a", 10 * H)), 0, 0, 10 * H, 0);
    lander.add(LandingRow.of(TestRecords.v1("b", 11 * H)), 1, 0, 11 * H, 0);
    lander.add(LandingRow.of(TestRecords.v2("c", 11 * H + 5, "new")), 2, 0, 11 * H + 5, 0);
    lander.add(LandingRow.of(TestRecords.v1("d", 10 * H + 9)), 3, 0, 10 * H + 9, 0);
    lander.rollIfIdle(Duration.ofHours(2).toMillis());

    assertThat(lander.ready())
        .extracting(
            f -> f.file().firstOffset(), f -> f.file().lastOffset(), f -> f.file().hourStart())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, 0L, 10 * H),
            org.assertj.core.groups.Tuple.tuple(1L, 1L, 11 * H),
            org.assertj.core.groups.Tuple.tuple(2L, 2L, 11 * H),
            org.assertj.core.groups.Tuple.tuple(3L, 3L, 10 * H));
  }

  @Test
  void shouldRollByRecordTimestampSoReplaysCutTheSameFiles() throws Exception {
    PartitionLander first = lander(1000, Duration.ofSeconds(10));
    PartitionLander replay = lander(1000, Duration.ofSeconds(10));
    for (PartitionLander l : List.of(first, replay)) {
      for (int i = 0; i < 30; i++) {
        l.add(LandingRow.of(TestRecords.v1("r" + i, 10 * H)), i, i * 1000L, 10 * H, 0);
      }
    }
    assertThat(names(first))
        .containsExactly("hits+0+0-9.parquet", "hits+0+10-19.parquet")
        .isEqualTo(names(replay));
  }

  @Test
  void shouldPublishAnIdlePartitionsFileAfterTheRotateInterval() throws Exception {
    PartitionLander lander = lander(1000, Duration.ofSeconds(30));
    lander.add(LandingRow.of(TestRecords.v1("a", 10 * H)), 5, 0, 10 * H, 1_000);
    lander.rollIfIdle(20_000);
    assertThat(lander.ready()).isEmpty();
    lander.rollIfIdle(31_000);
    assertThat(names(lander)).containsExactly("hits+0+5-5.parquet");
  }

  @Test
  void shouldCoverSkippedRecordsWithTheNextFile() throws Exception {
    PartitionLander lander = lander(2, Duration.ofHours(1));
    lander.skip(0, 0);
    lander.add(LandingRow.of(TestRecords.v1("a", 10 * H)), 1, 0, 10 * H, 0);
    lander.add(LandingRow.of(TestRecords.v1("b", 10 * H)), 2, 0, 10 * H, 0);
    assertThat(names(lander)).containsExactly("hits+0+0-2.parquet");
  }

  @Test
  void shouldReportCaughtUpOnlyWhenNothingIsPending() throws Exception {
    PartitionLander lander = lander(1000, Duration.ofHours(1));
    lander.add(LandingRow.of(TestRecords.v1("a", 10 * H)), 0, 0, 10 * H, 0);
    lander.caughtUp(true, 0);
    assertThat(lander.nextManifest(0).caughtUp()).isFalse();
    lander.rollIfIdle(Duration.ofHours(1).toMillis());
    PartitionManifest manifest = lander.nextManifest(1);
    lander.committed(manifest);
    lander.caughtUp(true, 0);
    assertThat(lander.hasCommit()).isTrue();
    assertThat(lander.nextManifest(2).caughtUp()).isTrue();
    assertThat(manifest.nextOffset()).isEqualTo(1);
    assertThat(manifest.maxEventTime()).isEqualTo(10 * H);
  }
}
