package io.oxbow.serving.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchManifestTest {
  @TempDir Path dir;

  @Test
  void shouldReadAnIsoOrMillisWatermarkAndTheListedFiles() throws IOException {
    Files.writeString(
        dir.resolve("_manifest.json"),
        "{\"watermark\":\"2026-11-25T10:00:00Z\",\"files\":[\"dt=2026-11-25/hour=09/a.parquet\"]}");

    BatchManifest manifest = BatchManifest.read(dir).orElseThrow();

    assertThat(manifest.watermark()).isEqualTo(1_795_600_800_000L);
    assertThat(manifest.files()).contains(List.of(dir.resolve("dt=2026-11-25/hour=09/a.parquet")));

    Files.writeString(dir.resolve("_manifest.json"), "{\"watermark\":1795600800000}");
    assertThat(BatchManifest.read(dir).orElseThrow().watermark()).isEqualTo(1_795_600_800_000L);
    assertThat(BatchManifest.read(dir).orElseThrow().files()).isEmpty();
  }

  @Test
  void shouldHaveNoManifestWhenTheFileIsMissingAndNameTheFileWhenItIsBad() throws IOException {
    assertThat(BatchManifest.read(dir)).isEmpty();

    Files.writeString(dir.resolve("_manifest.json"), "{\"watermark\":\"soon\"}");
    assertThatThrownBy(() -> BatchManifest.read(dir))
        .hasMessageContaining("_manifest.json")
        .hasMessageContaining("'soon' is not ISO-8601");
  }
}
