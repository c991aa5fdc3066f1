package io.oxbow.serving.speed;

import static io.oxbow.serving.TestEvents.hit;
import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpeedWindowsTest {
  private static final ViewFolder TRAFFIC = ViewCatalog.defaults().folder("traffic");
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final long MINUTE = 60_000;

  private final SpeedWindows windows = new SpeedWindows(TRAFFIC, new AtomicLong());

  private static long at(int minute) {
    return T0.toEpochMilli() + minute * MINUTE;
  }

  private void putMinute(int minute, String country) {
    Map<GroupKey, Aggregate> folded =
        TRAFFIC.fold(List.of(hit(Instant.ofEpochMilli(at(minute)), "c", country, 200, "/")));
    folded.forEach(windows::put);
  }

  @Test
  void shouldDropTheWindowsTheWatermarkPassedAndKeepTheRest() {
    for (int minute = 0; minute < 60; minute++) {
      putMinute(minute, "DE");
      putMinute(minute, "FR");
    }
    assertThat(windows.windowCount()).isEqualTo(60);

    // the watermark minus the margin moves to 10:30: windows ending at or before it leave memory
    long dropped = windows.evictUpTo(at(30));

    assertThat(dropped).isEqualTo(60);
    assertThat(windows.windowCount()).isEqualTo(30);
    assertThat(windows.read(at(0), at(30))).isEmpty();
    assertThat(windows.read(at(30), at(60))).hasSize(60);
    assertThat(windows.evicted()).isEqualTo(60);

    // it moves on, and memory follows
    windows.evictUpTo(at(59));
    assertThat(windows.windowCount()).isEqualTo(1);
    assertThat(windows.read(at(59), at(60))).hasSize(2);
  }

  @Test
  void shouldNotStoreAWindowTheBatchViewHoldsNorMoveTheHorizonBack() {
    windows.evictUpTo(at(30));

    putMinute(10, "DE"); // a late record of a window the batch view holds
    putMinute(29, "DE"); // ends at 10:30, the horizon: held by the batch view too
    putMinute(30, "DE");

    assertThat(windows.windowCount()).isEqualTo(1);
    assertThat(windows.evictUpTo(at(5))).isZero();
    assertThat(windows.horizon()).isEqualTo(at(30));
  }

  @Test
  void shouldGiveAnEvictedRangeANewVersion() {
    putMinute(1, "DE");
    putMinute(40, "DE");
    long before = windows.lastChange(at(0), at(10));
    long after40 = windows.lastChange(at(40), at(41));

    windows.evictUpTo(at(30));

    assertThat(windows.lastChange(at(0), at(10))).isGreaterThan(before);
    assertThat(windows.lastChange(at(40), at(41))).isEqualTo(after40);
  }
}
