package io.oxbow.lake;

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
   */
  public record ViewState(
      String dataset,
      long watermark,
      Map<Long, HourVersion> hours,
      Map<String, Map<Long, HourVersion>> tiers) {
    /** Copies into sorted maps; absent tiers are none. */
    public ViewState {
      hours = new TreeMap<>(hours);
      Map<String, Map<Long, HourVersion>> copy = new TreeMap<>();
      if (tiers != null) {
        tiers.forEach((tier, buckets) -> copy.put(tier, new TreeMap<>(buckets)));
      }
      tiers = copy;
    }

    /** A state without roll-up tiers. */
    public ViewState(String dataset, long watermark, Map<Long, HourVersion> hours) {
      this(dataset, watermark, hours, Map.of());
    }

    /** This state with {@code version} for the hour starting at {@code hourStart}. */
    public ViewState withHour(long hourStart, HourVersion version) {
      Map<Long, HourVersion> copy = new TreeMap<>(hours);
      copy.put(hourStart, version);
      return new ViewState(dataset, watermark, copy, tiers);
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
      return new ViewState(dataset, watermark, hours, copy);
    }

    /** This state without the bucket of {@code tier} starting at {@code start}. */
    public ViewState withoutTierBucket(String tier, long start) {
      Map<String, Map<Long, HourVersion>> copy = new TreeMap<>(tiers);
      Map<Long, HourVersion> buckets = new TreeMap<>(tier(tier));
      buckets.remove(start);
      copy.put(tier, buckets);
      return new ViewState(dataset, watermark, hours, copy);
    }

    /** This state with watermark {@code w}. */
    public ViewState withWatermark(long w) {
      return new ViewState(dataset, w, hours, tiers);
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
