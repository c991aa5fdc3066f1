package io.oxbow.serving.query;

import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The high-cardinality guard: caps the groups of each window of a view. A window with more than
 * {@code max} groups keeps its {@code max - 1} most frequent (most records; ties by dimension
 * values, so every instance keeps the same) and folds the rest, merged as monoids, into one group
 * whose every dimension value is {@value #OTHER}. Totals stay exact (counts and sums add, sketches
 * merge); only the split among the rare groups is lost.
 *
 * <p>Applied to every window either layer gives, before filters and roll-ups: a window comes from
 * exactly one layer, so the same window folds the same way whichever layer answers it.
 */
final class GroupFold {
  /** The dimension value of the group holding the folded ones. */
  static final String OTHER = "(other)";

  private static final Comparator<Map.Entry<GroupKey, Aggregate>> MOST_FREQUENT_FIRST =
      Comparator.<Map.Entry<GroupKey, Aggregate>>comparingLong(e -> -e.getValue().records())
          .thenComparing(Map.Entry::getKey);

  private GroupFold() {}

  /**
   * The groups read, capped per window.
   *
   * @param groups groups of whole windows, not modified (nor are their aggregates)
   * @param max most groups per window, at least 2
   */
  static Folded fold(ViewFolder view, Map<GroupKey, Aggregate> groups, int max) {
    if (groups.size() <= max) {
      return new Folded(groups, 0);
    }
    Map<Long, List<Map.Entry<GroupKey, Aggregate>>> byWindow = new HashMap<>();
    groups
        .entrySet()
        .forEach(
            e -> byWindow.computeIfAbsent(e.getKey().windowStart(), w -> new ArrayList<>()).add(e));
    Map<GroupKey, Aggregate> out = new HashMap<>(Math.min(groups.size(), byWindow.size() * max));
    long folded = 0;
    for (List<Map.Entry<GroupKey, Aggregate>> window : byWindow.values()) {
      if (window.size() <= max) {
        window.forEach(e -> out.put(e.getKey(), e.getValue()));
        continue;
      }
      window.sort(MOST_FREQUENT_FIRST);
      for (Map.Entry<GroupKey, Aggregate> kept : window.subList(0, max - 1)) {
        out.put(kept.getKey(), kept.getValue());
      }
      GroupKey first = window.get(0).getKey();
      GroupKey other =
          new GroupKey(
              first.windowStart(),
              first.windowEnd(),
              Collections.nCopies(first.dimensions().size(), OTHER));
      Aggregate rest = out.containsKey(other) ? out.get(other).copy() : view.identity();
      for (Map.Entry<GroupKey, Aggregate> e : window.subList(max - 1, window.size())) {
        view.merge(rest, e.getValue());
      }
      out.put(other, rest);
      folded += window.size() - (max - 1);
    }
    return new Folded(out, folded);
  }

  /**
   * Groups after the guard.
   *
   * @param groups the groups, at most the maximum per window
   * @param folded how many groups were folded into {@value #OTHER} groups
   */
  record Folded(Map<GroupKey, Aggregate> groups, long folded) {}
}
