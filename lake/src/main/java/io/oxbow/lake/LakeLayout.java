package io.oxbow.lake;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lake's layout, the one place that spells it: Hive-style hour partitions {@code
 * <folder>/dt=YYYY-MM-DD/hour=HH/<file>} (UTC), the batch views under {@code views/<view>/} with
 * one file per hour and version ({@code <view>-v<version>.parquet}), and the keys of the manifests
 * ({@code <dataset>/_manifest/<topic>+<partition>.json}, {@code views/_manifest.json}, {@code
 * views/<view>/_manifest.json}), and the views' per-partition partial aggregates under {@code
 * views/<view>/_partial/} ({@link PartialFile}). Keys are relative, {@code /}-separated. Names
 * starting with {@code _} or {@code .} are hidden from readers, as Spark and Hive skip them.
 */
public final class LakeLayout {
  /** One hour in millis. */
  public static final long HOUR_MS = 3_600_000L;

  /** One UTC day in millis. */
  public static final long DAY_MS = 24 * HOUR_MS;

  /** The roll-up tier of hour aggregates, named by its window. */
  public static final String HOUR_TIER = "1h";

  /** The roll-up tier of day aggregates, named by its window. */
  public static final String DAY_TIER = "1d";

  /** The tiers, finest first. */
  public static final List<String> TIERS = List.of(HOUR_TIER, DAY_TIER);

  /**
   * The name retention gives a view's own files (its native windows, {@code dt=/hour=} directly
   * under the view's folder) beside the roll-up {@link #TIERS}.
   */
  public static final String FILES_TIER = "files";

  /** Folder of the batch views. */
  public static final String VIEWS = "views";

  /** File name of a view's published manifest, within the view's folder. */
  public static final String VIEW_MANIFEST_NAME = "_manifest.json";

  /** Name of the folder of a view's partial aggregates ({@link #partialFolder}). */
  public static final String PARTIAL_FOLDER_NAME = "_partial";

  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{1,16}");
  private static final Pattern PARTIAL_NAME =
      Pattern.compile(
          "([A-Za-z0-9._-]+)\\+(\\d+)\\+(\\d+)-(\\d+)\\+(\\d+)\\+(\\d+)\\+([0-9a-f]{1,16})\\.parquet");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
  private static final Pattern HOUR_KEY =
      Pattern.compile("(.+)/dt=(\\d{4}-\\d{2}-\\d{2})/hour=(\\d{2})/([^/]+)");

  private LakeLayout() {}

  /** Start of the UTC hour that holds {@code epochMillis}. */
  public static long hourOf(long epochMillis) {
    return Math.floorDiv(epochMillis, HOUR_MS) * HOUR_MS;
  }

  /** {@code <folder>/dt=YYYY-MM-DD/hour=HH} of the hour starting at {@code hourStart}. */
  public static String hourFolder(String folder, long hourStart) {
    ZonedDateTime t = Instant.ofEpochMilli(hourStart).atZone(ZoneOffset.UTC);
    return folder + "/dt=" + DAY.format(t) + "/hour=" + String.format("%02d", t.getHour());
  }

  /**
   * {@code <folder>/dt=*&#47;hour=*&#47;*.parquet}: a glob (as DuckDB's {@code read_parquet} and
   * Spark read it) of the Parquet files directly in {@code folder}'s hour partitions, e.g. a view's
   * own files without its tiers or hidden folders.
   */
  public static String hourFilesGlob(String folder) {
    return folder + "/dt=*/hour=*/*.parquet";
  }

  /**
   * A file directly in an hour partition, {@code <folder>/dt=YYYY-MM-DD/hour=HH/<name>}.
   *
   * @param folder the folder holding the partitions (a dataset, or {@code views/<view>})
   * @param hourStart start of the hour, UTC epoch millis
   * @param name the file's name
   */
  public record HourFile(String folder, long hourStart, String name) {}

  /** The hour file {@code key} names, or empty when it is not a file directly in an hour folder. */
  public static Optional<HourFile> parseHourFile(String key) {
    Matcher m = HOUR_KEY.matcher(key);
    if (!m.matches()) {
      return Optional.empty();
    }
    int hour = Integer.parseInt(m.group(3));
    if (hour > 23) {
      return Optional.empty();
    }
    try {
      long day = dayStart(m.group(2));
      return Optional.of(new HourFile(m.group(1), day + hour * HOUR_MS, m.group(4)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * False only when the {@code dt=} (and {@code hour=}) partition of {@code relativeKey} lies
   * wholly outside {@code [from, to)}; true for keys without a readable partition, which a reader
   * must then open.
   */
  public static boolean mayOverlap(String relativeKey, long from, long to) {
    Long day = null;
    Integer hour = null;
    for (String part : relativeKey.split("/")) {
      try {
        if (part.startsWith("dt=")) {
          day = dayStart(part.substring(3));
        } else if (part.startsWith("hour=")) {
          hour = Integer.parseInt(part.substring(5));
        }
      } catch (RuntimeException e) {
        return true;
      }
    }
    if (day == null) {
      return true;
    }
    long start = hour == null ? day : day + hour * HOUR_MS;
    long end = hour == null ? day + 24 * HOUR_MS : start + HOUR_MS;
    return start < to && end > from;
  }

  /**
   * Start (UTC epoch millis) of the {@code dt=} (and {@code hour=}) partition of {@code
   * relativeKey}, or empty when it has no readable one.
   */
  public static OptionalLong partitionStart(String relativeKey) {
    Long day = null;
    int hour = 0;
    for (String part : relativeKey.split("/")) {
      try {
        if (part.startsWith("dt=")) {
          day = dayStart(part.substring(3));
        } else if (part.startsWith("hour=")) {
          hour = Integer.parseInt(part.substring(5));
        }
      } catch (RuntimeException e) {
        return OptionalLong.empty();
      }
    }
    return day == null ? OptionalLong.empty() : OptionalLong.of(day + hour * HOUR_MS);
  }

  /** True when a part of {@code relativeKey} starts with {@code _} or {@code .}. */
  public static boolean hidden(String relativeKey) {
    for (String part : relativeKey.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** {@code views/<view>}: the folder of a batch view. */
  public static String viewFolder(String view) {
    return VIEWS + "/" + view;
  }

  /** {@code views/<view>/_manifest.json}: a view's published manifest. */
  public static String viewManifestKey(String view) {
    return viewFolder(view) + "/" + VIEW_MANIFEST_NAME;
  }

  /**
   * The key of a view hour's file of {@code version}: {@code
   * views/<view>/dt=../hour=../<view>-vN.parquet}.
   */
  public static String viewFileKey(String view, long hourStart, long version) {
    return hourFolder(viewFolder(view), hourStart) + "/" + view + "-v" + version + ".parquet";
  }

  /**
   * Length of a tier's buckets in millis.
   *
   * @throws IllegalArgumentException for a tier other than {@link #TIERS}
   */
  public static long tierMillis(String tier) {
    return switch (tier) {
      case HOUR_TIER -> HOUR_MS;
      case DAY_TIER -> DAY_MS;
      default -> throw new IllegalArgumentException("unknown tier '" + tier + "'");
    };
  }

  /** {@code views/<view>/tier=<tier>}: the folder of a view's roll-up tier. */
  public static String tierFolder(String view, String tier) {
    tierMillis(tier);
    return viewFolder(view) + "/tier=" + tier;
  }

  /**
   * The key of a tier bucket's file of {@code version}: {@code
   * views/<view>/tier=1h/dt=../hour=../<view>-vN.parquet} for the hour tier, {@code
   * views/<view>/tier=1d/dt=../<view>-vN.parquet} for the day tier.
   *
   * @param bucketStart start of the hour or day, UTC epoch millis
   */
  public static String tierFileKey(String view, String tier, long bucketStart, long version) {
    String folder = tierFolder(view, tier);
    String partition =
        HOUR_TIER.equals(tier)
            ? hourFolder(folder, bucketStart)
            : folder
                + "/dt="
                + DAY.format(Instant.ofEpochMilli(bucketStart).atZone(ZoneOffset.UTC));
    return partition + "/" + view + "-v" + version + ".parquet";
  }

  /** True when a part of {@code relativeKey} is a tier folder ({@code tier=...}). */
  public static boolean inTier(String relativeKey) {
    for (String part : relativeKey.split("/")) {
      if (part.startsWith("tier=")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The batch loader's setting that says how long tier {@code tier} ({@link #FILES_TIER} or a
   * roll-up tier) of a view with windows of {@code windowMillis} is kept: windows finer than an
   * hour {@code batch.retention.view-files}, hour windows {@code batch.retention.hour-tier}, day
   * windows and longer {@code batch.retention.day-tier}. Readers name it when they report a range
   * retention removed.
   */
  public static String retentionSetting(String tier, long windowMillis) {
    long size = FILES_TIER.equals(tier) ? windowMillis : tierMillis(tier);
    if (size < HOUR_MS) {
      return "batch.retention.view-files";
    }
    return size < DAY_MS ? "batch.retention.hour-tier" : "batch.retention.day-tier";
  }

  /**
   * {@code <dataset>/_retention.json}: what retention has removed of a landed dataset (hidden from
   * readers, as it starts with {@code _}).
   */
  public static String landedRetentionKey(String dataset) {
    return dataset + "/_retention.json";
  }

  /**
   * {@code views/<view>/_partial}: the folder of a view's per-partition partial aggregates. Hidden
   * (it starts with {@code _}), so an engine walking the view's folder never counts them.
   */
  public static String partialFolder(String view) {
    return viewFolder(view) + "/" + PARTIAL_FOLDER_NAME;
  }

  /**
   * One partial aggregate of a view: the groups of the landed rows of one topic partition in one
   * hour, {@code views/<view>/_partial/dt=../hour=../<topic>+<partition>+<first>-<last>+<covered>
   * +<rows>+<definition>.parquet} (one name, no spaces). The name says which offsets it was folded
   * from, so whether it is still current is decided from a listing, without reading it.
   *
   * @param view the view
   * @param hourStart start of the hour, UTC epoch millis
   * @param topic the landed topic
   * @param partition the topic partition
   * @param firstOffset first offset of the partition's landed files of the hour
   * @param lastOffset last offset of the partition's landed files of the hour
   * @param coveredOffsets how many offsets those files cover together
   * @param rows input rows read (before the view's filter)
   * @param definition a fingerprint of the view definition it was folded with (lower-case hex)
   */
  public record PartialFile(
      String view,
      long hourStart,
      String topic,
      int partition,
      long firstOffset,
      long lastOffset,
      long coveredOffsets,
      long rows,
      String definition) {
    /** Checks the name parts. */
    public PartialFile {
      if (firstOffset < 0 || lastOffset < firstOffset || coveredOffsets <= 0 || rows < 0) {
        throw new IllegalArgumentException(
            "bad partial range " + firstOffset + "-" + lastOffset + " of " + coveredOffsets);
      }
      if (!TOPIC_NAME.matcher(topic).matches() || !FINGERPRINT.matcher(definition).matches()) {
        throw new IllegalArgumentException(
            "bad partial name part: topic '" + topic + "', definition '" + definition + "'");
      }
    }

    /** The file's key in the lake. */
    public String key() {
      return hourFolder(partialFolder(view), hourStart)
          + "/"
          + topic
          + "+"
          + partition
          + "+"
          + firstOffset
          + "-"
          + lastOffset
          + "+"
          + coveredOffsets
          + "+"
          + rows
          + "+"
          + definition
          + ".parquet";
    }
  }

  /** The partial aggregate {@code key} names, or empty when it is not one. */
  public static Optional<PartialFile> parsePartialFile(String key) {
    Optional<HourFile> file = parseHourFile(key);
    if (file.isEmpty() || !file.get().folder().endsWith("/" + PARTIAL_FOLDER_NAME)) {
      return Optional.empty();
    }
    String folder = file.get().folder();
    String view = folder.substring(0, folder.length() - PARTIAL_FOLDER_NAME.length() - 1);
    if (!view.startsWith(VIEWS + "/")) {
      return Optional.empty();
    }
    Matcher m = PARTIAL_NAME.matcher(file.get().name());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new PartialFile(
              view.substring(VIEWS.length() + 1),
              file.get().hourStart(),
              m.group(1),
              Integer.parseInt(m.group(2)),
              Long.parseLong(m.group(3)),
              Long.parseLong(m.group(4)),
              Long.parseLong(m.group(5)),
              Long.parseLong(m.group(6)),
              m.group(7)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code <dataset>/_manifest}: the folder of a dataset's partition manifests. */
  public static String partitionManifestFolder(String dataset) {
    return dataset + "/_manifest";
  }

  /**
   * {@code <dataset>/_manifest/<topic>+<partition>.json}: one topic partition's landing manifest.
   */
  public static String partitionManifestKey(String dataset, String topic, int partition) {
    return partitionManifestFolder(dataset) + "/" + topic + "+" + partition + ".json";
  }

  private static long dayStart(String day) {
    return LocalDate.parse(day, DAY).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
