package io.oxbow.batch.landing;

import io.oxbow.lake.LakeStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a partition's manifest in line with the files in the lake before the loader resumes it.
 *
 * <p>A crash between publishing a file and committing the manifest leaves a complete file whose
 * offsets the manifest does not yet include. Starting at the manifest's {@code nextOffset}, every
 * file whose first offset is exactly the next offset is <em>adopted</em> (the manifest moves past
 * it); any other file at or beyond that point cannot be part of the chain and is removed. The
 * loader then resumes at the new {@code nextOffset}, so no offset is landed twice or skipped.
 */
public final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {}

  /**
   * Recovers one partition.
   *
   * @param datasetKeys every key under the dataset folder (one listing serves many partitions)
   * @return the manifest to resume from (already written when files were adopted or removed);
   *     {@code nextOffset} is -1 when nothing was ever landed
   */
  public static PartitionManifest recover(
      LakeStorage storage,
      ManifestStore manifests,
      DatasetSpec spec,
      int partition,
      List<String> datasetKeys)
      throws IOException {
    Optional<PartitionManifest> stored = manifests.read(spec.dataset(), spec.topic(), partition);
    PartitionManifest manifest =
        stored.orElse(PartitionManifest.empty(spec.topic(), partition, -1));
    List<LandedFile> beyond = new ArrayList<>();
    for (String key : datasetKeys) {
      LandedFile.parse(key)
          .filter(f -> f.topic().equals(spec.topic()) && f.partition() == partition)
          .filter(f -> f.lastOffset() >= manifest.nextOffset())
          .ifPresent(beyond::add);
    }
    if (beyond.isEmpty()) {
      return manifest;
    }
    beyond.sort(Comparator.comparingLong(LandedFile::firstOffset));
    long next = manifest.nextOffset() < 0 ? beyond.get(0).firstOffset() : manifest.nextOffset();
    long maxEventTime = manifest.maxEventTime();
    int adopted = 0;
    int removed = 0;
    for (LandedFile file : beyond) {
      if (file.firstOffset() == next) {
        next = file.lastOffset() + 1;
        // the name gives the hour, not the exact time: a lower bound keeps the watermark safe
        maxEventTime = Math.max(maxEventTime, file.hourStart());
        adopted++;
      } else {
        log.warn(
            "{}: removing {}: it does not continue the committed offsets (next is {})",
            spec.dataset(),
            file.key(),
            next);
        storage.delete(file.key());
        removed++;
      }
    }
    PartitionManifest recovered =
        new PartitionManifest(
            spec.topic(),
            partition,
            next,
            maxEventTime,
            manifest.lastRecordAt(),
            false,
            System.currentTimeMillis());
    manifests.write(spec.dataset(), recovered);
    log.info(
        "{} partition {}: adopted {} and removed {} files left by an interrupted commit; resuming at"
            + " offset {}",
        spec.topic(),
        partition,
        adopted,
        removed,
        next);
    return recovered;
  }
}
