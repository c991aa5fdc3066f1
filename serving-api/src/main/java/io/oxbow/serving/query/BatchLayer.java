package io.oxbow.serving.query;

import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The batch view: groups read from the lake's Parquet files (local or S3, by the view's published
 * manifest), and the batch watermark W below which its windows are final. Reads of a lake that
 * cannot be read now throw a 503 {@link QueryException}, never another exception.
 */
public interface BatchLayer extends ViewLayer {
  /**
   * The batch watermark of {@code view} in UTC epoch millis: every window ending at or before it is
   * final in the batch view. Empty when nothing has been published yet (then every window is
   * answered from the speed view).
   */
  OptionalLong watermark(String view);

  /**
   * The roll-up tiers ({@code 1h}, {@code 1d}: {@code io.oxbow.lake.LakeLayout#TIERS}) the batch
   * view of {@code view} has now. None by default: then every window is read at the view's own
   * window.
   */
  default List<String> tiers(String view) {
    return List.of();
  }

  /**
   * Per tier of {@code view}'s batch view ({@code files} for its own windows, {@code 1h}, {@code
   * 1d}), the start (UTC epoch millis) of the first bucket the batch loader's retention keeps:
   * every bucket of that tier before it was removed. A tier not named lost nothing. None by
   * default.
   */
  default Map<String, Long> retainedFrom(String view) {
    return Map.of();
  }

  /**
   * Every group of {@code view}'s roll-up {@code tier} whose bucket starts in {@code [fromMillis,
   * toMillis)} (both on the tier's bucket boundaries): the view's windows of that range rolled up
   * to the tier's window. By default the view's own windows, which roll up to the same answer.
   */
  default Map<GroupKey, Aggregate> readTier(
      ViewFolder view, String tier, long fromMillis, long toMillis) {
    return read(view, fromMillis, toMillis);
  }
}
