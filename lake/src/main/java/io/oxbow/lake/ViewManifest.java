package io.oxbow.lake;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of the batch views: per view, its source dataset, its batch watermark and the current
 * version of each compacted hour. Stored as JSON at {@value #KEY} in the lake and replaced
 * atomically; readers take the version of each hour from it, so a re-compaction switches from the
 * old file to the new one at once.
 *
 * @param views view name to its state
 */
public record ViewManifest(Map<String, ViewState> views) {
  /** Where the manifest lives in the lake. */
  public static final String KEY = LakeLayout.VIEWS + "/_manifest.json";

  /** No view compacted yet. */
  public static ViewManifest empty() {
    return new ViewManifest(new TreeMap<>());
  }

  /** Copies into a sorted map. */
  public ViewManifest {
    views = new TreeMap<>(views);
  }

  /** The state of {@code view}, empty when it was never compacted. */
  public ViewState view(String view, String dataset) {
    return views.getOrDefault(view, new ViewState(dataset, Long.MIN_VALUE, new TreeMap<>()));
  }

  /** This manifest with {@code state} for {@code view}. */
  public ViewManifest with(String view, ViewState state) {
    Map<String, ViewState> copy = new TreeMap<>(views);
    copy.put(view, state);
    return new ViewManifest(copy);
  }

  /**
   * One view's state.
   *
   * @param dataset the landed dataset the view folds
   * @param watermark the batch watermark W, UTC epoch millis: every window ending at or before it
   *     is final in the batch view ({@link Long#MIN_VALUE}: nothing is final yet)
   * @param hours compacted hours (start, UTC epoch millis) and their current versions
   * @param tiers per roll-up tier ({@link LakeLayout#TIERS}), its buckets (start, UTC epoch millis)
   *     and their current versions; empty (or absent when read) when the view has no tiers
   * @param retainedFrom per tier ({@link LakeLayout#FILES_TIER} for the view's own files, or a
   *     roll-up tier), the start (UTC epoch millis) of its first bucket retention keeps: every
   *     bucket before it was removed and is no longer published, even where {@code hours} still
   *     names it (an hour kept there, with the offsets it covered, is not compacted again); empty
   *     (or absent when read) when retention removed nothing
   */
  public record ViewState(
      String dataset,
      long watermark,
      Map<Long, HourVersion> hours,
      Map<String, Map<Long, HourVersion>> tiers,
      @JsonProperty("retained_from") Map<String, Long> retainedFrom) {
    /** Copies into sorted maps; absent tiers and horizons are none. */
    public ViewState {
      hours = new TreeMap<>(hours);
      Map<String, Map<Long, HourVersion>> copy = new TreeMap<>();
      if (tiers != null) {
        tiers.forEach((tier, buckets) -> copy.put(tier, new TreeMap<>(buckets)));
      }
      tiers = copy;
      retainedFrom = retainedFrom == null ? new TreeMap<>() : new TreeMap<>(retainedFrom);
    }

    /** A state of which retention removed nothing. */
    public ViewState(
        String dataset,
        long watermark,
        Map<Long, HourVersion> hours,
        Map<String, Map<Long, HourVersion>> tiers) {
      this(dataset, watermark, hours, tiers, Map.of());
    }

    /** A state without roll-up tiers. */
    public ViewState(String dataset, long watermark, Map<Long, HourVersion> hours) {
      this(dataset, watermark, hours, Map.of());
    }

    /**
     * The first bucket start of {@code tier} ({@link LakeLayout#FILES_TIER} or a roll-up tier) that
     * retention keeps; {@link Long#MIN_VALUE} when it removed none.
     */
    public long retainedFrom(String tier) {
      return retainedFrom.getOrDefault(tier, Long.MIN_VALUE);
    }

    /**
     * This state with retention having removed every bucket of {@code tier} before {@code from}:
     * the horizon is set (it never moves back) and, for a roll-up tier, its buckets before it are
     * dropped. The view's own hours stay named in {@code hours} (see {@link #retainedFrom()}).
     */
    public ViewState retainedFrom(String tier, long from) {
      long horizon = Math.max(from, retainedFrom(tier));
      Map<String, Long> horizons = new TreeMap<>(retainedFrom);
      horizons.put(tier, horizon);
      Map<String, Map<Long, HourVersion>> copy = new TreeMap<>(tiers);
      if (copy.containsKey(tier)) {
        copy.put(tier, new TreeMap<>(new TreeMap<>(tier(tier)).tailMap(horizon)));
      }
      return new ViewState(dataset, watermark, hours, copy, horizons);
    }

    /** This state without the hours before {@code before} in {@code hours}. */
    public ViewState withoutHoursBefore(long before) {
      return new ViewState(
          dataset, watermark, new TreeMap<>(hours).tailMap(before), tiers, retainedFrom);
    }

    /** This state with {@code version} for the hour starting at {@code hourStart}. */
    public ViewState withHour(long hourStart, HourVersion version) {
      Map<Long, HourVersion> copy = new TreeMap<>(hours);
      copy.put(hourStart, version);
      return new ViewState(dataset, watermark, copy, tiers, retainedFrom);
    }

    /** The buckets of {@code tier} and their versions (empty when it has none). */
    public Map<Long, HourVersion> tier(String tier) {
      return tiers.getOrDefault(tier, Map.of());
    }

    /** This state with {@code version} for the bucket of {@code tier} starting at {@code start}. */
    public ViewState withTierBucket(String tier, long start, HourVersion version) {
      Map<String, Map<Long, HourVersion>> copy = new TreeMap<>(tiers);
      Map<Long, HourVersion> buckets = new TreeMap<>(tier(tier));
      buckets.put(start, version);
      copy.put(tier, buckets);
      return new ViewState(dataset, watermark, hours, copy, retainedFrom);
    }

    /** This state without the bucket of {@code tier} starting at {@code start}. */
    public ViewState withoutTierBucket(String tier, long start) {
      Map<String, Map<Long, HourVersion>> copy = new TreeMap<>(tiers);
      Map<Long, HourVersion> buckets = new TreeMap<>(tier(tier));
      buckets.remove(start);
      copy.put(tier, buckets);
      return new ViewState(dataset, watermark, hours, copy, retainedFrom);
    }

    /** This state with watermark {@code w}. */
    public ViewState withWatermark(long w) {
      return new ViewState(dataset, w, hours, tiers, retainedFrom);
    }
  }

  /**
   * One compacted hour of a view (or one bucket of a roll-up tier: then the offsets and rows are
   * those of the hours it was folded from).
   *
   * @param version increases with every (re-)compaction; names the file {@code
   *     <view>-v<version>.parquet}
   * @param coveredOffsets how many source offsets the landed files of the hour covered when it was
   *     compacted; more now means late rows landed and the hour is compacted again
   * @param rows input rows folded
   * @param groups aggregate rows written
   */
  public record HourVersion(long version, long coveredOffsets, long rows, long groups) {}
}
