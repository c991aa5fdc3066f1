package io.oxbow.views;

import io.oxbow.views.metric.MetricState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Roll-up of a view's groups to coarser windows and fewer dimensions. */
final class Rollups {
  private Rollups() {}

  static void check(ViewFolder fine, ViewFolder coarse) {
    ViewDefinition from = fine.definition();
    ViewDefinition to = coarse.definition();
    String where = "roll-up of view '" + from.name() + "' to '" + to.name() + "'";
    if (from.source() != to.source() || !Objects.equals(from.filter(), to.filter())) {
      throw new ViewDefinitionException(where + ": source and filter must be the same");
    }
    if (!to.window().isMultipleOf(from.window())) {
      throw new ViewDefinitionException(
          where + ": window " + to.window().id() + " is not a multiple of " + from.window().id());
    }
    for (String dimension : to.dimensions()) {
      if (!from.dimensions().contains(dimension)) {
        throw new ViewDefinitionException(
            where + ": dimension '" + dimension + "' is not a dimension of '" + from.name() + "'");
      }
    }
    for (MetricSpec metric : to.metrics()) {
      if (!metric.equals(from.metric(metric.name()))) {
        throw new ViewDefinitionException(
            where + ": metric '" + metric.name() + "' is not defined the same way in both");
      }
    }
  }

  static Map<GroupKey, Aggregate> rollUp(
      ViewFolder fine, Map<GroupKey, Aggregate> groups, ViewFolder coarse) {
    check(fine, coarse);
    ViewDefinition from = fine.definition();
    ViewDefinition to = coarse.definition();
    int[] dims = to.dimensions().stream().mapToInt(from.dimensions()::indexOf).toArray();
    int[] metrics =
        to.metrics().stream()
            .mapToInt(m -> from.metrics().indexOf(from.metric(m.name())))
            .toArray();
    Map<GroupKey, Aggregate> out = new HashMap<>();
    for (Map.Entry<GroupKey, Aggregate> group : groups.entrySet()) {
      fine.checkSameMetrics(group.getValue());
      GroupKey key = group.getKey();
      long start = to.window().startOf(key.windowStart());
      List<String> values = new ArrayList<>(dims.length);
      for (int d : dims) {
        values.add(key.dimensions().get(d));
      }
      MetricState[] states = new MetricState[metrics.length];
      for (int i = 0; i < metrics.length; i++) {
        states[i] = group.getValue().stateAt(metrics[i]);
      }
      Aggregate projected = new Aggregate(to, group.getValue().records(), states);
      GroupKey target = new GroupKey(start, start + to.window().millis(), values);
      Aggregate bucket = out.get(target);
      if (bucket == null) {
        out.put(target, projected.copy());
      } else {
        // merge never modifies its right side: only the first group of a bucket is copied
        coarse.merge(bucket, projected);
      }
    }
    return sorted(out);
  }

  static Map<GroupKey, Aggregate> sorted(Map<GroupKey, Aggregate> groups) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(groups)));
  }
}
