package io.oxbow.batch.retention;

import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.ViewManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What retention removes of one batch view, decided from its manifest state alone (no I/O): per
 * tier (its own files, and the hour and day tiers its window has), the first bucket kept, judged
 * against the view's clock ({@link RetentionClock}).
 *
 * <p>The view's own hours before the horizon stay named in the manifest's {@code hours}, with the
 * offsets they covered, so the compactor does not compact them again from their landed rows; the
 * manifest no longer publishes them. Once the landed rows of such an hour are gone too, nothing can
 * compact it again, and it is dropped from {@code hours}.
 */
final class ViewRetention {
  private ViewRetention() {}

  /**
   * The outcome for one view.
   *
   * @param next the view's state with the horizons moved and the removed tier buckets dropped
   * @param horizons per tier, the first bucket start kept ({@link Long#MIN_VALUE}: all)
   * @param clock the time ages were judged against ({@link Long#MIN_VALUE}: none yet)
   */
  record Plan(ViewManifest.ViewState next, Map<String, Long> horizons, long clock) {}

  /** The tiers of a view with windows of {@code windowMillis}: its own files and coarser tiers. */
  static List<String> tiersOf(long windowMillis) {
    List<String> tiers = new ArrayList<>();
    tiers.add(LakeLayout.FILES_TIER);
    for (String tier : LakeLayout.TIERS) {
      if (LakeLayout.tierMillis(tier) > windowMillis) {
        tiers.add(tier);
      }
    }
    return tiers;
  }

  /** The length of one bucket of {@code tier}: its own files are kept per hour folder. */
  static long bucketMillis(String tier) {
    return LakeLayout.FILES_TIER.equals(tier) ? LakeLayout.HOUR_MS : LakeLayout.tierMillis(tier);
  }

  /**
   * The view's clock: with {@link RetentionClock#DATA_TIME} the end of the newest hour it has
   * compacted, at most its watermark (the watermark alone follows the wall clock once input stops);
   * with {@link RetentionClock#WALL_CLOCK}, {@code now}.
   */
  static long clock(RetentionClock clock, ViewManifest.ViewState state, long now) {
    if (clock == RetentionClock.WALL_CLOCK) {
      return now;
    }
    if (state.hours().isEmpty() || state.watermark() == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    long newest = 0;
    for (long hour : state.hours().keySet()) {
      newest = Math.max(newest, hour);
    }
    return Math.min(state.watermark(), newest + LakeLayout.HOUR_MS);
  }

  /**
   * Plans retention for a view.
   *
   * @param windowMillis the view's window
   * @param state its manifest state
   * @param settings the periods and the clock
   * @param landedRemovedBefore where retention removed the landed rows of the view's dataset
   *     ({@link Long#MIN_VALUE}: none): own hours before it and before the files' horizon are
   *     dropped from {@code hours}
   * @param now the wall clock, UTC epoch millis
   */
  static Plan plan(
      long windowMillis,
      ViewManifest.ViewState state,
      RetentionSettings settings,
      long landedRemovedBefore,
      long now) {
    long clock = clock(settings.clock(), state, now);
    ViewManifest.ViewState next = state;
    Map<String, Long> horizons = new LinkedHashMap<>();
    for (String tier : tiersOf(windowMillis)) {
      long computed = settings.periodOf(tier, windowMillis).horizon(clock, bucketMillis(tier));
      long horizon = Math.max(computed, state.retainedFrom(tier));
      horizons.put(tier, horizon);
      boolean dropsBuckets =
          !LakeLayout.FILES_TIER.equals(tier)
              && next.tier(tier).keySet().stream().anyMatch(start -> start < horizon);
      if (horizon > state.retainedFrom(tier) || dropsBuckets) {
        next = next.retainedFrom(tier, horizon);
      }
    }
    long prune = Math.min(horizons.get(LakeLayout.FILES_TIER), landedRemovedBefore);
    if (prune != Long.MIN_VALUE && next.hours().keySet().stream().anyMatch(h -> h < prune)) {
      next = next.withoutHoursBefore(prune);
    }
    return new Plan(next, horizons, clock);
  }

  /**
   * The tier a file of the view's folder belongs to ({@code relativeKey} relative to it), or null
   * for what is no bucket file (the published manifest, hidden files).
   */
  static String tierOfFile(String relativeKey) {
    if (!relativeKey.endsWith(".parquet") || LakeLayout.hidden(relativeKey)) {
      return null;
    }
    if (!LakeLayout.inTier(relativeKey)) {
      return LakeLayout.FILES_TIER;
    }
    int slash = relativeKey.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String first = relativeKey.substring(0, slash);
    String tier = first.substring("tier=".length());
    return LakeLayout.TIERS.contains(tier) ? tier : null;
  }
}
