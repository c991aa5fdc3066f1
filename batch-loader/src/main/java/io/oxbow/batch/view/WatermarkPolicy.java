package io.oxbow.batch.view;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.PartitionManifest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides up to where a dataset's hours are closed. An hour closes when every partition's landed
 * event time has passed the hour's end plus the allowed lateness (default 10 min). A partition that
 * is caught up (read to its end, nothing held unpublished) and has had no record for the idle
 * timeout no longer holds the watermark back; when every partition is idle, the wall clock stands
 * in for event time, so once input stops every hour older than the lateness closes.
 *
 * @param allowedLateness how long after its end an hour waits for late rows
 * @param idleTimeout how long a caught-up partition may go without records before it is idle
 */
public record WatermarkPolicy(Duration allowedLateness, Duration idleTimeout) {

  /**
   * The closed-up-to point (an hour boundary, UTC epoch millis) of a dataset, or {@link
   * Long#MIN_VALUE} when not every partition has a manifest or landed anything yet.
   *
   * @param partitions the topic's partition count
   * @param manifests the dataset's partition manifests
   * @param now the wall clock, epoch millis
   */
  public long closedUpTo(int partitions, List<PartitionManifest> manifests, long now) {
    if (partitions <= 0) {
      return Long.MIN_VALUE;
    }
    Map<Integer, PartitionManifest> byPartition = new HashMap<>();
    manifests.forEach(m -> byPartition.put(m.partition(), m));
    long eventTime = Long.MAX_VALUE;
    boolean anyActive = false;
    for (int p = 0; p < partitions; p++) {
      PartitionManifest m = byPartition.get(p);
      if (m == null) {
        return Long.MIN_VALUE;
      }
      boolean idle = m.caughtUp() && now - m.lastRecordAt() >= idleTimeout.toMillis();
      if (!idle) {
        if (m.maxEventTime() == Long.MIN_VALUE) {
          return Long.MIN_VALUE;
        }
        anyActive = true;
        eventTime = Math.min(eventTime, m.maxEventTime());
      }
    }
    long reference = anyActive ? eventTime : now;
    return LandedFile.hourOf(reference - allowedLateness.toMillis());
  }
}
