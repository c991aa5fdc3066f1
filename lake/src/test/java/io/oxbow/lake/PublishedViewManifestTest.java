package io.oxbow.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishedViewManifestTest {
  @TempDir Path lake;

  @Test
  void shouldReadAnIsoOrMillisWatermarkAndTheListedFiles() throws IOException {
    Path dir = Files.createDirectories(lake.resolve("views/traffic"));
    Files.writeString(
        dir.resolve("_manifest.json"),
        "{\"watermark\":\"2026-11-25T10:00:00Z\",\"files\":[\"dt=2026-11-25/hour=09/a.parquet\"]}");
    ViewManifestStore store = new ViewManifestStore(new LocalLakeStorage(lake));

    PublishedViewManifest manifest = store.readPublished("traffic").orElseThrow();

    assertThat(manifest.watermark()).isEqualTo(1_795_600_800_000L);
    assertThat(manifest.fileKeys())
        .contains(List.of("views/traffic/dt=2026-11-25/hour=09/a.parquet"));

    Files.writeString(dir.resolve("_manifest.json"), "{\"watermark\":1795600800000}");
    assertThat(store.readPublished("traffic").orElseThrow().watermark())
        .isEqualTo(1_795_600_800_000L);
    assertThat(store.readPublished("traffic").orElseThrow().files()).isEmpty();
  }

  @Test
  void shouldHaveNoManifestWhenTheFileIsMissingAndNameTheFileWhenItIsBad() throws IOException {
    ViewManifestStore store = new ViewManifestStore(new LocalLakeStorage(lake));
    assertThat(store.readPublished("traffic")).isEmpty();

    Path dir = Files.createDirectories(lake.resolve("views/traffic"));
    Files.writeString(dir.resolve("_manifest.json"), "{\"watermark\":\"soon\"}");
    assertThatThrownBy(() -> store.readPublished("traffic"))
        .hasMessageContaining("views/traffic/_manifest.json")
        .hasMessageContaining("'soon' is not ISO-8601");
  }

  @Test
  void shouldReadBackWhatTheLoaderPublishes() throws IOException {
    long h9 = 1_795_597_200_000L;
    ViewManifest.ViewState state =
        new ViewManifest.ViewState(
            "access_logs_enriched",
            h9 + 3_600_000L,
            Map.of(h9, new ViewManifest.HourVersion(3, 1, 1, 1)));
    ViewManifestStore store = new ViewManifestStore(new LocalLakeStorage(lake));

    store.write(ViewManifest.empty().with("traffic", state));

    PublishedViewManifest read = store.readPublished("traffic").orElseThrow();
    assertThat(read).isEqualTo(ViewManifestStore.published("traffic", state));
    assertThat(read.fileKeys())
        .contains(List.of("views/traffic/dt=2026-11-25/hour=09/traffic-v3.parquet"));
  }

  @Test
  void shouldPublishAndReadTheTiersAndReadAManifestWithoutTiersAsNone() throws IOException {
    long h9 = 1_795_597_200_000L;
    long day = h9 - 9 * 3_600_000L;
    ViewManifest.ViewState state =
        new ViewManifest.ViewState(
                "access_logs_enriched",
                h9 + 3_600_000L,
                Map.of(h9, new ViewManifest.HourVersion(3, 1, 1, 1)))
            .withTierBucket("1h", h9, new ViewManifest.HourVersion(2, 1, 1, 1))
            .withTierBucket("1d", day, new ViewManifest.HourVersion(5, 1, 1, 1));
    ViewManifestStore store = new ViewManifestStore(new LocalLakeStorage(lake));

    store.write(ViewManifest.empty().with("traffic", state));

    assertThat(store.read().views().get("traffic")).isEqualTo(state);
    PublishedViewManifest read = store.readPublished("traffic").orElseThrow();
    assertThat(read.tierFileKeys("1h"))
        .containsExactly("views/traffic/tier=1h/dt=2026-11-25/hour=09/traffic-v2.parquet");
    assertThat(read.tierFileKeys("1d"))
        .containsExactly("views/traffic/tier=1d/dt=2026-11-25/traffic-v5.parquet");

    Files.writeString(
        lake.resolve("views/_manifest.json"),
        "{\"views\":{\"traffic\":{\"dataset\":\"d\",\"watermark\":1,\"hours\":{}}}}");
    assertThat(store.read().views().get("traffic").tiers()).isEmpty();
    Files.writeString(
        lake.resolve("views/traffic/_manifest.json"), "{\"watermark\":1,\"files\":[]}");
    assertThat(store.readPublished("traffic").orElseThrow().tiers()).isEmpty();
  }

  @Test
  void shouldDropTheTierBucketsOfAnHourPublishedAgain() throws IOException {
    long h9 = 1_795_597_200_000L;
    long day = h9 - 9 * 3_600_000L;
    LocalLakeStorage storage = new LocalLakeStorage(lake);
    ViewManifestStore store = new ViewManifestStore(storage);
    store.publishHours("traffic", "d", Map.of(h9, Files.createTempFile(lake, "h", ".parquet")), h9);
    store.publishTier("traffic", "1h", Map.of(h9, Files.createTempFile(lake, "t", ".parquet")));
    store.publishTier("traffic", "1d", Map.of(day, Files.createTempFile(lake, "d", ".parquet")));
    assertThat(store.readPublished("traffic").orElseThrow().tierFileKeys("1d")).hasSize(1);

    store.publishHours("traffic", "d", Map.of(h9, Files.createTempFile(lake, "h", ".parquet")), h9);

    PublishedViewManifest read = store.readPublished("traffic").orElseThrow();
    assertThat(read.tierFileKeys("1h")).isEmpty();
    assertThat(read.tierFileKeys("1d")).isEmpty();
    assertThat(storage.list("views/traffic/tier=1d")).isEmpty();
  }
}
