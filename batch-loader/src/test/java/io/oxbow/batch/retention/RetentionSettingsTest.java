package io.oxbow.batch.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.batch.BatchConfig;
import io.oxbow.lake.LakeLayout;
import io.oxbow.runtime.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retention settings: defaults, spellings, and the periods refused at start. */
class RetentionSettingsTest {

  @Test
  void shouldKeepLandedRows90DaysMinuteFiles30DaysHours2YearsAndDaysForeverByDataTime() {
    RetentionSettings settings = BatchConfig.of(Map.of()).retention();

    assertThat(settings.clock()).isEqualTo(RetentionClock.DATA_TIME);
    assertThat(settings.landed().of("access-logs.enriched"))
        .isEqualTo(RetentionPeriod.of(Duration.ofDays(90)));
    assertThat(settings.viewFiles()).isEqualTo(RetentionPeriod.of(Duration.ofDays(30)));
    assertThat(settings.hourTier()).isEqualTo(RetentionPeriod.of(Duration.ofDays(730)));
    assertThat(settings.dayTier().isForever()).isTrue();
    assertThat(BatchConfig.SETTINGS).containsAll(RetentionSettings.SETTINGS);
  }

  @Test
  void shouldTakePerTopicLandedPeriodsAndTheViewsTierByWindow() {
    RetentionSettings settings =
        BatchConfig.of(
                Map.of(
                    "batch.retention.landed",
                    "120d,access-logs.raw=30d",
                    "batch.retention.hour-tier",
                    "forever",
                    "batch.retention.clock",
                    "wall-clock"))
            .retention();

    assertThat(settings.landed().of("access-logs.raw"))
        .isEqualTo(RetentionPeriod.of(Duration.ofDays(30)));
    assertThat(settings.landed().of("orders.attributed"))
        .isEqualTo(RetentionPeriod.of(Duration.ofDays(120)));
    assertThat(settings.clock()).isEqualTo(RetentionClock.WALL_CLOCK);
    // a 1m view's own files, a 1h view's own files, a 1d view's own files
    assertThat(RetentionSettings.settingOf("files", 60_000))
        .isEqualTo(RetentionSettings.VIEW_FILES);
    assertThat(RetentionSettings.settingOf("files", 3_600_000))
        .isEqualTo(RetentionSettings.HOUR_TIER);
    assertThat(RetentionSettings.settingOf("files", 86_400_000))
        .isEqualTo(RetentionSettings.DAY_TIER);
    assertThat(settings.periodOf("1h", 60_000).isForever()).isTrue();
    // readers name the setting through the lake module: the same keys
    for (String tier : List.of("files", "1h", "1d")) {
      for (long window : new long[] {60_000, 3_600_000, 86_400_000}) {
        if (!tier.equals("1h") || window < 3_600_000) {
          assertThat(RetentionSettings.settingOf(tier, window).key())
              .isEqualTo(LakeLayout.retentionSetting(tier, window));
        }
      }
    }
  }

  @Test
  void shouldRefuseMalformedNegativeAndZeroPeriodsNamingTheSetting() {
    for (String bad : new String[] {"-5d", "0", "0d", "ninety", "30x", ""}) {
      assertThatThrownBy(() -> BatchConfig.of(Map.of("batch.retention.view-files", bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("batch.retention.view-files");
    }
    assertThatThrownBy(() -> BatchConfig.of(Map.of("batch.retention.landed", "raw=30d")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.retention.landed");
    assertThatThrownBy(() -> BatchConfig.of(Map.of("batch.retention.clock", "event-time")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.retention.clock");
  }

  @Test
  void shouldRefusePeriodsTooShortToRebuildACoarserTier() {
    // an hour closes after the allowed lateness and its day is re-folded from its hours
    assertThatThrownBy(() -> BatchConfig.of(Map.of("batch.retention.view-files", "12h")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.retention.view-files = PT12H")
        .hasMessageContaining("batch.allowed-lateness");
    // a late row re-folds its day from the hour tier: the hour tier must outlive landed rows
    assertThatThrownBy(
            () ->
                BatchConfig.of(
                    Map.of("batch.retention.landed", "400d", "batch.retention.hour-tier", "365d")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.retention.hour-tier = 365d")
        .hasMessageContaining("batch.retention.landed (400d)");
    assertThat(BatchConfig.of(Map.of("batch.retention.view-files", "2d")).retention().viewFiles())
        .isEqualTo(RetentionPeriod.of(Duration.ofDays(2)));
  }
}
