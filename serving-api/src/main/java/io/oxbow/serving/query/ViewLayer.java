package io.oxbow.serving.query;

import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.util.Map;

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
}
