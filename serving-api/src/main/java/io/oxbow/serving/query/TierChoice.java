package io.oxbow.serving.query;

import io.oxbow.lake.LakeLayout;
import io.oxbow.views.WindowSize;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which roll-up tier of the batch view serves which part of a query's batch range: the coarsest
 * tier whose buckets the query's buckets are unions of (day, week, month and all: the day tier;
 * hour: the hour tier; finer: none) serves the whole tier buckets inside the range, and the finer
 * tiers, down to the view's own windows, serve the edges. So a bucket cut by the range's ends or by
 * the seam with the speed view (the day that holds the watermark) is read from windows that end at
 * the seam, and the seam stays exact.
 */
final class TierChoice {
  private TierChoice() {}

  /**
   * One part of the batch range and the tier that serves it.
   *
   * @param tier a tier of {@link LakeLayout#TIERS}, or null for the view's own windows
   * @param from inclusive, UTC epoch millis
   * @param to exclusive, UTC epoch millis
   */
  record Segment(String tier, long from, long to) {}

  /**
   * The parts of {@code [from, to)}, in time order, with their tiers.
   *
   * @param available the tiers the batch view has
   */
  static List<Segment> segments(
      Granularity granularity,
      WindowSize viewWindow,
      Collection<String> available,
      long from,
      long to) {
    List<String> usable = new ArrayList<>();
    for (String tier : LakeLayout.TIERS) {
      long size = LakeLayout.tierMillis(tier);
      boolean fits =
          granularity == Granularity.ALL
              || granularity.rollUpWindow(viewWindow).millis() % size == 0;
      if (available.contains(tier) && size > viewWindow.millis() && fits) {
        usable.add(0, tier);
      }
    }
    List<Segment> out = new ArrayList<>();
    split(usable, from, to, out);
    return out;
  }

  /** Splits {@code [from, to)} among {@code tiers} (coarsest first), finest last. */
  private static void split(List<String> tiers, long from, long to, List<Segment> out) {
    if (from >= to) {
      return;
    }
    if (tiers.isEmpty()) {
      out.add(new Segment(null, from, to));
      return;
    }
    long size = LakeLayout.tierMillis(tiers.get(0));
    List<String> finer = tiers.subList(1, tiers.size());
    long first = Math.floorDiv(from + size - 1, size) * size;
    long last = Math.floorDiv(to, size) * size;
    if (first >= last) {
      split(finer, from, to, out);
      return;
    }
    split(finer, from, first, out);
    out.add(new Segment(tiers.get(0), first, last));
    split(finer, last, to, out);
  }
}
