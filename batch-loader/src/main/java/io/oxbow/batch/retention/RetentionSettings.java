package io.oxbow.batch.retention;

import io.oxbow.lake.LakeLayout;
import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.Setting;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the batch loader's retention keeps, read once at start ({@code batch.retention.*}): landed
 * rows per dataset, and per tier of every batch view its own sub-hour windows, its hour tier and
 * its day tier. A view whose window is an hour keeps its own files as long as the hour tier, one
 * whose window is a day or longer as long as the day tier.
 *
 * @param clock what ages are judged against ({@code batch.retention.clock}, default {@code
 *     data-time}: the data's own newest time, see {@link RetentionClock})
 * @param landed landed rows: the period for every dataset and per topic overrides ({@code
 *     batch.retention.landed}, default 90d)
 * @param viewFiles the views' own windows finer than an hour ({@code batch.retention.view-files},
 *     default 30d)
 * @param hourTier the hour tier, and the own files of hour views ({@code
 *     batch.retention.hour-tier}, default 730d)
 * @param dayTier the day tier, and the own files of views with a day window or longer ({@code
 *     batch.retention.day-tier}, default {@code forever})
 */
public record RetentionSettings(
    RetentionClock clock,
    LandedPeriods landed,
    RetentionPeriod viewFiles,
    RetentionPeriod hourTier,
    RetentionPeriod dayTier) {
  private static final Logger log = LoggerFactory.getLogger(RetentionSettings.class);

  /** {@code batch.retention.clock}. */
  public static final Setting<RetentionClock> CLOCK =
      new Setting<>(
          "batch.retention.clock",
          "data-time",
          "What retention judges age against: data-time (the newest data of the view or dataset,"
              + " so replays of old logs are kept) or wall-clock.",
          RetentionClock::parse);

  /** {@code batch.retention.landed}. */
  public static final Setting<LandedPeriods> LANDED =
      new Setting<>(
          "batch.retention.landed",
          "90d",
          "How long landed rows are kept (forever: always), optionally per topic: 90d or"
              + " 90d,access-logs.raw=30d; --recompute can go back only this far.",
          LandedPeriods::parse);

  /** {@code batch.retention.view-files}. */
  public static final Setting<RetentionPeriod> VIEW_FILES =
      new Setting<>(
          "batch.retention.view-files",
          "30d",
          "How long the batch views' own windows finer than an hour (1m, 5m) are kept (forever:"
              + " always).",
          RetentionPeriod::parse);

  /** {@code batch.retention.hour-tier}. */
  public static final Setting<RetentionPeriod> HOUR_TIER =
      new Setting<>(
          "batch.retention.hour-tier",
          "730d",
          "How long the views' hour aggregates (the 1h tier, and hour views' own files) are kept"
              + " (forever: always).",
          RetentionPeriod::parse);

  /** {@code batch.retention.day-tier}. */
  public static final Setting<RetentionPeriod> DAY_TIER =
      new Setting<>(
          "batch.retention.day-tier",
          RetentionPeriod.FOREVER,
          "How long the views' day aggregates (the 1d tier, and day views' own files) are kept"
              + " (forever: always).",
          RetentionPeriod::parse);

  /** Every retention setting, in documentation order. */
  public static final List<Setting<?>> SETTINGS =
      List.of(CLOCK, LANDED, VIEW_FILES, HOUR_TIER, DAY_TIER);

  /** The defaults: landed 90d, view files 30d, hour tier 730d, day tier forever, data time. */
  public static RetentionSettings defaults() {
    return from(ConfigSource.ofFlags(Map.of()));
  }

  /** Reads the settings from {@code source}; errors name the setting. */
  public static RetentionSettings from(ConfigSource source) {
    return new RetentionSettings(
        source.get(CLOCK),
        source.get(LANDED),
        source.get(VIEW_FILES),
        source.get(HOUR_TIER),
        source.get(DAY_TIER));
  }

  /**
   * The setting that keeps tier {@code tier} ({@link LakeLayout#FILES_TIER} or a roll-up tier) of a
   * view with windows of {@code windowMillis}.
   */
  public static Setting<RetentionPeriod> settingOf(String tier, long windowMillis) {
    long size = LakeLayout.FILES_TIER.equals(tier) ? windowMillis : LakeLayout.tierMillis(tier);
    if (size < LakeLayout.HOUR_MS) {
      return VIEW_FILES;
    }
    return size < LakeLayout.DAY_MS ? HOUR_TIER : DAY_TIER;
  }

  /** The period of tier {@code tier} of a view with windows of {@code windowMillis}. */
  public RetentionPeriod periodOf(String tier, long windowMillis) {
    Setting<RetentionPeriod> setting = settingOf(tier, windowMillis);
    if (setting == VIEW_FILES) {
      return viewFiles;
    }
    return setting == HOUR_TIER ? hourTier : dayTier;
  }

  /**
   * Refuses periods too short for the batch layer to rebuild what it keeps, naming the setting:
   * every period must cover a day plus {@code allowedLateness} (an hour is compacted, and folded
   * into its day, only once it has closed), and the hour tier must outlive the landed rows by a day
   * (a late row, landed as long as landed rows are kept, re-folds its day from the hour-tier files
   * of the day's other hours). Logs a warning when a finer tier is kept longer than a coarser one.
   *
   * @throws ConfigException naming the setting and the rule
   */
  public RetentionSettings validate(Duration allowedLateness) {
    Duration minimum = Duration.ofDays(1).plus(allowedLateness);
    Map<String, RetentionPeriod> periods = new LinkedHashMap<>();
    periods.put(LANDED.key(), landed.fallback());
    landed.byTopic().forEach((topic, p) -> periods.put(LANDED.key() + " (" + topic + ")", p));
    periods.put(VIEW_FILES.key(), viewFiles);
    periods.put(HOUR_TIER.key(), hourTier);
    periods.put(DAY_TIER.key(), dayTier);
    periods.forEach(
        (key, period) -> {
          if (!period.atLeast(minimum)) {
            throw new ConfigException(
                key
                    + " = "
                    + period
                    + ": must be at least a day plus batch.allowed-lateness ("
                    + minimum
                    + "): an hour is compacted and folded into its day only after it closes");
          }
        });
    for (RetentionPeriod landedPeriod : landed.all()) {
      if (!hourTier.atLeast(landedPeriod, Duration.ofDays(1))) {
        throw new ConfigException(
            HOUR_TIER.key()
                + " = "
                + hourTier
                + ": must be at least batch.retention.landed ("
                + landedPeriod
                + ") plus a day: a late row re-folds its day from the hour tier of the day's other"
                + " hours, and late rows land as long as landed rows are kept");
      }
    }
    if (!hourTier.atLeast(viewFiles, Duration.ZERO) || !dayTier.atLeast(hourTier, Duration.ZERO)) {
      log.warn(
          "retention keeps a finer tier longer than a coarser one (view files {}, hour tier {},"
              + " day tier {}): queries of the older range at the coarser granularity read the"
              + " finer files",
          viewFiles,
          hourTier,
          dayTier);
    }
    return this;
  }

  /**
   * Landed-row periods: one for every dataset, and overrides per topic.
   *
   * @param fallback the period of a topic without an override
   * @param byTopic topic to its period
   */
  public record LandedPeriods(RetentionPeriod fallback, Map<String, RetentionPeriod> byTopic) {
    /** Copies the map. */
    public LandedPeriods {
      byTopic = Map.copyOf(byTopic);
    }

    /** The period of {@code topic}'s landed rows. */
    public RetentionPeriod of(String topic) {
      return byTopic.getOrDefault(topic, fallback);
    }

    /** Every period named. */
    List<RetentionPeriod> all() {
      List<RetentionPeriod> all = new java.util.ArrayList<>(byTopic.values());
      all.add(fallback);
      return all;
    }

    /**
     * {@code 90d} or {@code 90d,access-logs.raw=30d,orders.attributed=forever}: the first entry
     * without a topic is the period of every other topic.
     *
     * @throws IllegalArgumentException with what is expected
     */
    public static LandedPeriods parse(String text) {
      RetentionPeriod fallback = null;
      Map<String, RetentionPeriod> byTopic = new LinkedHashMap<>();
      for (String part : text.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        int eq = part.indexOf('=');
        if (eq < 0) {
          if (fallback != null) {
            throw new IllegalArgumentException(
                "one period for every topic, then topic=period entries");
          }
          fallback = RetentionPeriod.parse(part);
        } else {
          String topic = part.substring(0, eq).trim();
          if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic=period entries with a topic");
          }
          byTopic.put(topic, RetentionPeriod.parse(part.substring(eq + 1)));
        }
      }
      if (fallback == null) {
        throw new IllegalArgumentException(
            "a period for every topic such as 90d (or forever), then topic=period entries");
      }
      return new LandedPeriods(fallback, byTopic);
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder(fallback.toString());
      byTopic.forEach((topic, p) -> text.append(',').append(topic).append('=').append(p));
      return text.toString();
    }
  }
}
