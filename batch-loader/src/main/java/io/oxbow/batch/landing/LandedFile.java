package io.oxbow.batch.landing;

import io.oxbow.lake.LakeLayout;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One published Parquet file of a dataset: the rows of one topic partition whose offsets lie in
 * {@code [firstOffset, lastOffset]} and whose event time falls in one UTC hour. Its key is the lake
 * layout {@code <dataset>/dt=YYYY-MM-DD/hour=HH/<topic>+<partition>+<first>-<last>.parquet}; the
 * offsets in the name are what recovery and the "no duplicate, no gap" check rely on: the files of
 * a partition tile its offsets exactly.
 *
 * @param dataset the dataset folder
 * @param topic source topic
 * @param partition source partition
 * @param firstOffset first offset the file covers (inclusive)
 * @param lastOffset last offset the file covers (inclusive; the offset of its last record)
 * @param hourStart start of the event-time hour, UTC epoch millis
 */
public record LandedFile(
    String dataset,
    String topic,
    int partition,
    long firstOffset,
    long lastOffset,
    long hourStart) {
  /** One hour in millis ({@link LakeLayout#HOUR_MS}). */
  public static final long HOUR_MS = LakeLayout.HOUR_MS;

  private static final Pattern NAME =
      Pattern.compile("([A-Za-z0-9._-]+)\\+(\\d+)\\+(\\d+)-(\\d+)\\.parquet");
  private static final Pattern DATASET = Pattern.compile("[a-z0-9_]+");

  /** Checks the range. */
  public LandedFile {
    if (firstOffset < 0 || lastOffset < firstOffset) {
      throw new IllegalArgumentException("bad offset range " + firstOffset + "-" + lastOffset);
    }
  }

  /** The file's key in the lake. */
  public String key() {
    return LakeLayout.hourFolder(dataset, hourStart) + "/" + fileName();
  }

  /** {@code <topic>+<partition>+<first>-<last>.parquet}. */
  public String fileName() {
    return topic + "+" + partition + "+" + firstOffset + "-" + lastOffset + ".parquet";
  }

  /** How many offsets the file covers. */
  public long offsetCount() {
    return lastOffset - firstOffset + 1;
  }

  /** True when this file's offsets include all of {@code other}'s (same topic and partition). */
  public boolean covers(LandedFile other) {
    return topic.equals(other.topic)
        && partition == other.partition
        && firstOffset <= other.firstOffset
        && lastOffset >= other.lastOffset;
  }

  /** The file a key names, or empty when the key is not a landed file of the layout. */
  public static Optional<LandedFile> parse(String key) {
    Optional<LakeLayout.HourFile> file = LakeLayout.parseHourFile(key);
    if (file.isEmpty() || !DATASET.matcher(file.get().folder()).matches()) {
      return Optional.empty();
    }
    Matcher m = NAME.matcher(file.get().name());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new LandedFile(
            file.get().folder(),
            m.group(1),
            Integer.parseInt(m.group(2)),
            Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4)),
            file.get().hourStart()));
  }

  /** Start of the UTC hour that holds {@code epochMillis} ({@link LakeLayout#hourOf}). */
  public static long hourOf(long epochMillis) {
    return LakeLayout.hourOf(epochMillis);
  }
}
