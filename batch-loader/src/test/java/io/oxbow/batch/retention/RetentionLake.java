package io.oxbow.batch.retention;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A local lake for retention tests: the {@code traffic} view (1m: own files, hour and day tiers)
 * with one compacted hour a day at 10:00, and a landed file of {@code access-logs.enriched} for
 * each of those hours. Files hold a few bytes (retention never reads them).
 */
final class RetentionLake {
  static final DatasetSpec ENRICHED = DatasetSpec.of("access-logs.enriched", "event_time");
  static final String VIEW = "traffic";

  private final Path root;
  final List<Long> hours = new ArrayList<>();

  /** {@code days} days of hours ending with the day of {@code lastHour} (at 10:00 UTC). */
  RetentionLake(Path root, LakeStorage storage, Instant lastHour, int days) throws IOException {
    this.root = root;
    long last = lastHour.toEpochMilli();
    ViewManifest.ViewState state =
        new ViewManifest.ViewState(ENRICHED.dataset(), last + LakeLayout.HOUR_MS, new TreeMap<>());
    for (int d = days - 1; d >= 0; d--) {
      long hour = last - d * LakeLayout.DAY_MS;
      hours.add(hour);
      long day = Math.floorDiv(hour, LakeLayout.DAY_MS) * LakeLayout.DAY_MS;
      state = state.withHour(hour, new ViewManifest.HourVersion(1, 10, 10, 3));
      state = state.withTierBucket("1h", hour, new ViewManifest.HourVersion(1, 10, 10, 3));
      state = state.withTierBucket("1d", day, new ViewManifest.HourVersion(1, 10, 10, 3));
      touch(LakeLayout.viewFileKey(VIEW, hour, 1));
      touch(LakeLayout.tierFileKey(VIEW, "1h", hour, 1));
      touch(LakeLayout.tierFileKey(VIEW, "1d", day, 1));
      long first = (days - 1 - d) * 10L;
      touch(
          LakeLayout.hourFolder(ENRICHED.dataset(), hour)
              + "/access-logs.enriched+0+"
              + first
              + "-"
              + (first + 9)
              + ".parquet");
    }
    new ViewManifestStore(storage).write(ViewManifest.empty().with(VIEW, state));
    new ManifestStore(storage)
        .write(
            ENRICHED.dataset(),
            new PartitionManifest(ENRICHED.topic(), 0, days * 10L, last + 30 * 60_000, 0, true, 0));
  }

  /** Lands a file of offsets {@code first..last} in {@code hour} and commits it. */
  void land(LakeStorage storage, long hour, long first, long last) throws IOException {
    touch(
        LakeLayout.hourFolder(ENRICHED.dataset(), hour)
            + "/access-logs.enriched+0+"
            + first
            + "-"
            + last
            + ".parquet");
    new ManifestStore(storage)
        .write(
            ENRICHED.dataset(),
            new PartitionManifest(
                ENRICHED.topic(),
                0,
                last + 1,
                hours.get(hours.size() - 1) + 30 * 60_000,
                0,
                true,
                0));
  }

  private void touch(String key) throws IOException {
    Path file = root.resolve(key);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {1, 2, 3, 4});
  }

  boolean exists(String key) {
    return Files.exists(root.resolve(key));
  }
}
