package io.oxbow.batch.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Retention of one landed dataset: its rows of every hour ending at or before its clock minus the
 * period are removed. The record of what was removed, {@code <dataset>/_retention.json} ({@code
 * {"dataset": ..., "removed_before": "2015-02-17T10:00:00Z"}}), is written first and never moves
 * back; then every landed file of an hour before it is deleted. Nothing lists landed files but the
 * dataset's folder (the partition manifests hold offsets), so a crash between two deletions leaves
 * files before the recorded horizon, which the next pass deletes before the compactor runs; {@code
 * --recompute} reads the record to refuse a range whose rows are gone.
 */
public final class LandedRetention {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LakeStorage storage;
  private final ManifestStore partitionManifests;

  LandedRetention(LakeStorage storage) {
    this.storage = storage;
    this.partitionManifests = new ManifestStore(storage);
  }

  /**
   * What one pass removed.
   *
   * @param removedBefore the dataset's horizon after the pass ({@link Long#MIN_VALUE}: none)
   * @param files landed files deleted
   * @param bytes their bytes
   */
  record Removed(long removedBefore, long files, long bytes) {}

  /**
   * The dataset's clock: with {@link RetentionClock#DATA_TIME} the oldest of its partitions' newest
   * landed event times (partitions that landed nothing are skipped; one partition with a row from
   * the far future cannot move it), {@link Long#MIN_VALUE} when none landed anything.
   */
  static long clock(RetentionClock clock, List<PartitionManifest> partitions, long now) {
    if (clock == RetentionClock.WALL_CLOCK) {
      return now;
    }
    return partitions.stream()
        .mapToLong(PartitionManifest::maxEventTime)
        .filter(t -> t != Long.MIN_VALUE)
        .min()
        .orElse(Long.MIN_VALUE);
  }

  /**
   * Applies {@code period} to {@code dataset} at wall-clock time {@code now}, removing nothing at
   * or after {@code compactedUpTo} (rows the views have not folded yet; a view watermark, which is
   * on an hour).
   */
  Removed enforce(
      DatasetSpec dataset,
      RetentionPeriod period,
      RetentionClock clock,
      long compactedUpTo,
      long now)
      throws IOException {
    long recorded = removedBefore(storage, dataset.dataset());
    long computed =
        Math.min(
            compactedUpTo,
            period.horizon(
                clock(clock, partitionManifests.readAll(dataset.dataset()), now),
                LakeLayout.HOUR_MS));
    long horizon = Math.max(recorded, computed);
    if (horizon == Long.MIN_VALUE) {
      return new Removed(horizon, 0, 0);
    }
    if (horizon > recorded) {
      storage.putAtomic(
          LakeLayout.landedRetentionKey(dataset.dataset()),
          JSON.writeValueAsBytes(
              Map.of(
                  "dataset",
                  dataset.dataset(),
                  "removed_before",
                  Instant.ofEpochMilli(horizon).toString())));
    }
    long files = 0;
    long bytes = 0;
    for (LakeStorage.StoredObject object : storage.listObjects(dataset.dataset())) {
      Optional<LandedFile> file = LandedFile.parse(object.key());
      if (file.isPresent() && file.get().hourStart() < horizon) {
        storage.delete(object.key());
        files++;
        bytes += object.size();
      }
    }
    return new Removed(horizon, files, bytes);
  }

  /**
   * Where retention removed {@code dataset}'s landed rows: every hour before it is gone ({@link
   * Long#MIN_VALUE}: nothing removed).
   *
   * @throws IOException naming the record when it cannot be read
   */
  public static long removedBefore(LakeStorage storage, String dataset) throws IOException {
    String key = LakeLayout.landedRetentionKey(dataset);
    Optional<byte[]> bytes = storage.read(key);
    if (bytes.isEmpty()) {
      return Long.MIN_VALUE;
    }
    try {
      JsonNode node = JSON.readTree(bytes.get()).get("removed_before");
      return Instant.parse(node.asText()).toEpochMilli();
    } catch (RuntimeException | IOException e) {
      throw new IOException("the retention record " + key + " is not readable: " + e, e);
    }
  }
}
