package io.oxbow.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LakeLayoutTest {
  private static final long H10 = Instant.parse("2015-05-17T10:00:00Z").toEpochMilli();

  @Test
  void shouldParseTheHourFolderItWrites() {
    String key = LakeLayout.hourFolder("ds", H10) + "/t+0+0-9.parquet";

    assertThat(key).isEqualTo("ds/dt=2015-05-17/hour=10/t+0+0-9.parquet");
    assertThat(LakeLayout.parseHourFile(key))
        .contains(new LakeLayout.HourFile("ds", H10, "t+0+0-9.parquet"));
    assertThat(LakeLayout.parseHourFile("views/traffic/dt=2015-05-17/hour=10/traffic-v2.parquet"))
        .contains(new LakeLayout.HourFile("views/traffic", H10, "traffic-v2.parquet"));
  }

  @Test
  void shouldRefuseKeysOutsideTheLayout() {
    assertThat(LakeLayout.parseHourFile("ds/dt=2015-05-17/hour=24/a.parquet")).isEmpty();
    assertThat(LakeLayout.parseHourFile("ds/dt=2015-13-17/hour=10/a.parquet")).isEmpty();
    assertThat(LakeLayout.parseHourFile("ds/dt=2015-05-17/a.parquet")).isEmpty();
    assertThat(LakeLayout.parseHourFile("ds/dt=2015-05-17/hour=10/x/a.parquet")).isEmpty();
  }

  @Test
  void shouldSkipOnlyPartitionsWhollyOutsideTheRange() {
    String hour10 = "dt=2015-05-17/hour=10/a.parquet";
    long hour = LakeLayout.HOUR_MS;

    assertThat(LakeLayout.mayOverlap(hour10, H10, H10 + 1)).isTrue();
    assertThat(LakeLayout.mayOverlap(hour10, H10 + hour, H10 + 2 * hour)).isFalse();
    assertThat(LakeLayout.mayOverlap(hour10, H10 - hour, H10)).isFalse();
    assertThat(LakeLayout.mayOverlap("dt=2015-05-17/a.parquet", H10, H10 + 1)).isTrue();
    assertThat(LakeLayout.mayOverlap("dt=2015-05-18/a.parquet", H10, H10 + 1)).isFalse();
    assertThat(LakeLayout.mayOverlap("dt=someday/a.parquet", H10, H10 + 1)).isTrue();
  }

  @Test
  void shouldNameTheViewFilesAndManifests() {
    assertThat(LakeLayout.viewFileKey("traffic", H10, 3))
        .isEqualTo("views/traffic/dt=2015-05-17/hour=10/traffic-v3.parquet");
    assertThat(LakeLayout.viewManifestKey("traffic")).isEqualTo("views/traffic/_manifest.json");
    assertThat(LakeLayout.partitionManifestKey("ds", "t", 2)).isEqualTo("ds/_manifest/t+2.json");
    assertThat(LakeLayout.hidden("dt=2015-05-17/hour=10/_old.parquet")).isTrue();
    assertThat(LakeLayout.hidden("dt=2015-05-17/hour=10/part-0.parquet")).isFalse();
  }

  @Test
  void shouldNameAndParseAPartialAggregateByTheOffsetsItWasFoldedFrom() {
    LakeLayout.PartialFile partial =
        new LakeLayout.PartialFile(
            "traffic", H10, "access-logs.enriched", 3, 100, 249, 120, 118, "9f3a0c1d");

    assertThat(partial.key())
        .isEqualTo(
            "views/traffic/_partial/dt=2015-05-17/hour=10/"
                + "access-logs.enriched+3+100-249+120+118+9f3a0c1d.parquet");
    assertThat(LakeLayout.parsePartialFile(partial.key())).contains(partial);
    // hidden from an engine that walks the view's folder, and no view or landed file
    assertThat(LakeLayout.hidden(partial.key())).isTrue();
    assertThat(LakeLayout.parsePartialFile(LakeLayout.viewFileKey("traffic", H10, 1))).isEmpty();
    assertThat(LakeLayout.parsePartialFile("ds/dt=2015-05-17/hour=10/t+0+0-9.parquet")).isEmpty();
    assertThat(
            LakeLayout.parsePartialFile(
                "views/traffic/_partial/dt=2015-05-17/hour=10/t+0+9-0+1+1+ab.parquet"))
        .as("last offset before the first")
        .isEmpty();
  }
}
