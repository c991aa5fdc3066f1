package io.oxbow.lake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The horizons of retention in the view manifest and in what readers are told. */
class RetainedManifestTest {
  private static final long H9 = Instant.parse("2026-11-25T09:00:00Z").toEpochMilli();
  private static final long H10 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
  private static final long DAY = Instant.parse("2026-11-25T00:00:00Z").toEpochMilli();
  private static final ViewManifest.HourVersion V1 = new ViewManifest.HourVersion(1, 5, 5, 2);

  @Test
  void shouldKeepTheHorizonsAndPublishOnlyTheBucketsFromThem(@TempDir Path lake) throws Exception {
    ViewManifest.ViewState state =
        new ViewManifest.ViewState("access_logs_enriched", H10 + 3_600_000, Map.of())
            .withHour(H9, V1)
            .withHour(H10, V1)
            .withTierBucket("1h", H9, V1)
            .withTierBucket("1h", H10, V1)
            .withTierBucket("1d", DAY, V1)
            .retainedFrom(LakeLayout.FILES_TIER, H10)
            .retainedFrom("1h", H10);
    // the hour before the horizon stays named (it is not compacted again); its tier bucket goes
    assertThat(state.hours()).containsKeys(H9, H10);
    assertThat(state.tier("1h")).containsOnlyKeys(H10);
    assertThat(state.retainedFrom(LakeLayout.FILES_TIER, H9).retainedFrom(LakeLayout.FILES_TIER))
        .as("a horizon never moves back")
        .isEqualTo(H10);
    ViewManifest manifest =
        ViewManifest.empty().with("traffic", state.withWatermark(H10 + 7_200_000));

    try (LocalLakeStorage storage = new LocalLakeStorage(lake)) {
      ViewManifestStore store = new ViewManifestStore(storage);
      store.write(manifest);
      assertThat(store.read()).isEqualTo(manifest);
      PublishedViewManifest published = store.readPublished("traffic").orElseThrow();
      assertThat(published.files().orElseThrow())
          .containsExactly("dt=2026-11-25/hour=10/traffic-v1.parquet");
      assertThat(published.retainedFrom(LakeLayout.FILES_TIER)).isEqualTo(H10);
      assertThat(published.retainedFrom("1d")).isEqualTo(Long.MIN_VALUE);
    }
    JsonNode json =
        new ObjectMapper().readTree(lake.resolve("views/traffic/_manifest.json").toFile());
    assertThat(json.path("retained_from").path("files").asText()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(json.path("retained_from").path("1h").asText()).isEqualTo("2026-11-25T10:00:00Z");
  }

  @Test
  void shouldNameTheSettingThatKeepsEachTier() {
    assertThat(LakeLayout.retentionSetting(LakeLayout.FILES_TIER, 60_000))
        .isEqualTo("batch.retention.view-files");
    assertThat(LakeLayout.retentionSetting(LakeLayout.FILES_TIER, LakeLayout.HOUR_MS))
        .isEqualTo("batch.retention.hour-tier");
    assertThat(LakeLayout.retentionSetting("1h", 60_000)).isEqualTo("batch.retention.hour-tier");
    assertThat(LakeLayout.retentionSetting("1d", 60_000)).isEqualTo("batch.retention.day-tier");
  }
}
