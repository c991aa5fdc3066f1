package io.oxbow.serving.query;

import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.util.Map;
import java.util.Optional;

/**
 * One layer's stored groups of a view, at the view's own window and dimensions: the speed view
 * (from {@code views.speed.<view>}) or the batch view (Parquet).
 */
public interface ViewLayer {
  /**
   * Every group of {@code view} whose window starts in {@code [fromMillis, toMillis)}. The caller
   * must not modify the returned aggregates (roll-ups copy them).
   */
  Map<GroupKey, Aggregate> read(ViewFolder view, long fromMillis, long toMillis);

  /**
   * A value identifying what {@link #read} gives for this range now: equal values (by {@code
   * equals}) mean the same groups, and any group of the range added, replaced or removed gives a
   * new value. The query engine keys its cache of rolled-up windows by it. Empty (the default) when
   * the layer cannot tell: then nothing read from the range is cached.
   */
  default Optional<Object> version(String view, long fromMillis, long toMillis) {
    return Optional.empty();
  }
}
