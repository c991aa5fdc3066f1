package io.oxbow.batch.landing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
  /** One hour in millis. */
  public static final long HOUR_MS = 3_600_000L;

  private static final Pattern KEY =
      Pattern.compile(
          "([a-z0-9_]+)/dt=(\\d{4}-\\d{2}-\\d{2})/hour=(\\d{2})/"
              + "([A-Za-z0-9._-]+)\\+(\\d+)\\+(\\d+)-(\\d+)\\.parquet");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");

  /** Checks the range. */
  public LandedFile {
    if (firstOffset < 0 || lastOffset < firstOffset) {
      throw new IllegalArgumentException("bad offset range " + firstOffset + "-" + lastOffset);
    }
  }

  /** The file's key in the lake. */
  public String key() {
    return hourFolder(dataset, hourStart) + "/" + fileName();
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
    Matcher m = KEY.matcher(key);
    if (!m.matches()) {
      return Optional.empty();
    }
    long hour =
        java.time.LocalDate.parse(m.group(2), DAY)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli()
            + Integer.parseInt(m.group(3)) * HOUR_MS;
    return Optional.of(
        new LandedFile(
            m.group(1),
            m.group(4),
            Integer.parseInt(m.group(5)),
            Long.parseLong(m.group(6)),
            Long.parseLong(m.group(7)),
            hour));
  }

  /** Start of the UTC hour that holds {@code epochMillis}. */
  public static long hourOf(long epochMillis) {
    return Math.floorDiv(epochMillis, HOUR_MS) * HOUR_MS;
  }

  /** {@code <prefix>/dt=YYYY-MM-DD/hour=HH} of the hour starting at {@code hourStart}. */
  public static String hourFolder(String prefix, long hourStart) {
    ZonedDateTime t = Instant.ofEpochMilli(hourStart).atZone(ZoneOffset.UTC);
    return prefix + "/dt=" + DAY.format(t) + "/hour=" + String.format("%02d", t.getHour());
  }
}
