package io.oxbow.batch.view;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.batch.upstream.TopicInputs;
import io.oxbow.batch.upstream.UpstreamLag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides up to where a dataset's hours are closed. An hour closes when every partition's landed
 * event time has passed the hour's end plus the allowed lateness (default 10 min). A partition is
 * <b>idle</b>, and no longer holds the watermark back, when all of these hold:
 *
 * <ul>
 *   <li>the loader has read it to its end with nothing held unpublished, and had no record from it
 *       for the idle timeout (default 5 min);
 *   <li>the stage that writes its topic (the stream processor's consumer group) has no record
 *       waiting on its own inputs ({@link TopicInputs#upstream()});
 *   <li>every record written to the partition before that was checked is landed ({@link
 *       TopicInputs#landedToEnd}).
 * </ul>
 *
 * When every partition is idle the wall clock stands in for event time, so once input stops, and
 * nothing upstream still waits to reach the landed topic, every hour older than the lateness
 * closes.
 *
 * @param allowedLateness how long after its end an hour waits for late rows
 * @param idleTimeout how long a caught-up partition may go without records before it is idle
 */
public record WatermarkPolicy(Duration allowedLateness, Duration idleTimeout) {

  /**
   * The decision for one landed topic at wall-clock time {@code now}.
   *
   * @param topic the landed topic (for the reason's wording)
   * @param manifests the dataset's partition manifests
   * @param now the wall clock, epoch millis
   * @param inputs the topic's partition count, upstream lag and end offsets (asked lazily)
   */
  public WatermarkDecision decide(
      String topic, List<PartitionManifest> manifests, long now, TopicInputs inputs) {
    int partitions = inputs.partitions();
    if (partitions <= 0) {
      return WatermarkDecision.none("topic " + topic + " does not exist", Optional.empty());
    }
    Map<Integer, PartitionManifest> byPartition = new HashMap<>();
    manifests.forEach(m -> byPartition.put(m.partition(), m));
    long eventTime = Long.MAX_VALUE;
    int slowest = -1;
    Optional<UpstreamLag> heldBy = Optional.empty();
    List<Integer> unlanded = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      PartitionManifest m = byPartition.get(p);
      if (m == null) {
        return WatermarkDecision.none(
            "partition " + p + " of " + topic + " has no manifest yet", Optional.empty());
      }
      boolean idle = false;
      if (m.caughtUp() && now - m.lastRecordAt() >= idleTimeout.toMillis()) {
        Optional<UpstreamLag> upstream = inputs.upstream();
        if (upstream.isPresent()) {
          heldBy = upstream;
        } else if (!inputs.landedToEnd(p, m.nextOffset())) {
          unlanded.add(p);
        } else {
          idle = true;
        }
      }
      if (!idle) {
        if (m.maxEventTime() == Long.MIN_VALUE) {
          return WatermarkDecision.none(
              heldBy
                  .map(u -> "held: " + u.describe())
                  .orElse("partition " + p + " of " + topic + " has landed nothing yet"),
              heldBy);
        }
        if (m.maxEventTime() < eventTime) {
          eventTime = m.maxEventTime();
          slowest = p;
        }
      }
    }
    if (slowest < 0) {
      return new WatermarkDecision(
          LandedFile.hourOf(now - allowedLateness.toMillis()),
          "wall-clock",
          "every partition of " + topic + " is idle and nothing waits upstream",
          Optional.empty());
    }
    String reason;
    if (heldBy.isPresent()) {
      reason = "held: " + heldBy.get().describe();
    } else if (!unlanded.isEmpty()) {
      reason = "held: partitions " + unlanded + " of " + topic + " have records not landed yet";
    } else {
      reason =
          "event time: partition "
              + slowest
              + " of "
              + topic
              + " has landed up to "
              + Instant.ofEpochMilli(eventTime);
    }
    return new WatermarkDecision(
        LandedFile.hourOf(eventTime - allowedLateness.toMillis()), "event-time", reason, heldBy);
  }
}
