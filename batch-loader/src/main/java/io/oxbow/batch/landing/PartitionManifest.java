package io.oxbow.batch.landing;

import io.oxbow.lake.LakeLayout;

/**
 * What is committed for one topic partition of a dataset: the commit point of exactly-once landing.
 * Stored as JSON at {@code <dataset>/_manifest/<topic>+<partition>.json}, replaced atomically after
 * the files it covers are published. One file per partition, so loader instances that own different
 * partitions never overwrite each other's commits.
 *
 * @param topic source topic
 * @param partition source partition
 * @param nextOffset first offset not yet landed: every offset below it is in a published file (or
 *     was a rejected record sent to the dead-letter topic)
 * @param maxEventTime largest event time landed, UTC epoch millis ({@link Long#MIN_VALUE}: none)
 * @param lastRecordAt wall-clock time the loader last read a record of this partition (0: never)
 * @param caughtUp true when the loader had read to the end of the partition and held nothing
 *     unpublished at {@code updatedAt}
 * @param updatedAt wall-clock time of this commit
 */
public record PartitionManifest(
    String topic,
    int partition,
    long nextOffset,
    long maxEventTime,
    long lastRecordAt,
    boolean caughtUp,
    long updatedAt) {

  /** The manifest of a partition nothing was landed from yet, starting at {@code offset}. */
  public static PartitionManifest empty(String topic, int partition, long offset) {
    return new PartitionManifest(topic, partition, offset, Long.MIN_VALUE, 0L, false, 0L);
  }

  /** The key of a partition's manifest within the lake. */
  public static String key(String dataset, String topic, int partition) {
    return LakeLayout.partitionManifestKey(dataset, topic, partition);
  }
}
