package io.oxbow.lake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-view manifest is the contract with readers of the lake (the serving API). */
class ViewManifestStoreTest {
  private static final long H9 = Instant.parse("2026-11-25T09:00:00Z").toEpochMilli();
  private static final long H10 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();

  @Test
  void publishesEachViewsWatermarkAndCurrentFilesOnly(@TempDir Path lake) throws Exception {
    ViewManifest manifest =
        ViewManifest.empty()
            .with(
                "traffic",
                new ViewManifest.ViewState(
                    "access_logs_enriched",
                    H10,
                    Map.of(H9, new ViewManifest.HourVersion(2, 100, 100, 7))))
            .with(
                "revenue",
                new ViewManifest.ViewState("orders_attributed", Long.MIN_VALUE, Map.of()));
    try (LocalLakeStorage storage = new LocalLakeStorage(lake)) {
      ViewManifestStore store = new ViewManifestStore(storage);
      store.write(manifest);
      assertThat(store.read()).isEqualTo(manifest);
    }

    JsonNode traffic =
        new ObjectMapper().readTree(lake.resolve("views/traffic/_manifest.json").toFile());
    assertThat(traffic.path("view").asText()).isEqualTo("traffic");
    assertThat(traffic.path("watermark").asText()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(traffic.path("files")).hasSize(1);
    assertThat(traffic.path("files").get(0).asText())
        .isEqualTo("dt=2026-11-25/hour=09/traffic-v2.parquet");
    // no watermark yet: no published manifest, so readers take nothing from the batch layer
    assertThat(Files.exists(lake.resolve("views/revenue/_manifest.json"))).isFalse();
  }
}
