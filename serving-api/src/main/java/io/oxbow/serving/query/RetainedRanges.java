package io.oxbow.serving.query;

import io.oxbow.lake.LakeLayout;
import io.oxbow.views.ViewFolder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Which part of a batch segment retention removed: the part of a {@link TierChoice.Segment} before
 * its tier's horizon ({@link BatchLayer#retainedFrom}) is reported as gone, naming the batch
 * loader's setting that removed it, and only the rest is read. {@link TierChoice} already serves
 * every whole bucket the granularity allows from the coarsest tier, so what is gone here has no
 * coarser tier to answer it.
 */
final class RetainedRanges {
  private RetainedRanges() {}

  /**
   * The part of {@code segment} retention keeps, or null when it removed all of it; the removed
   * part is added to {@code gone}.
   *
   * @param retained per tier ({@link LakeLayout#FILES_TIER} for the view's own windows), the first
   *     bucket start kept
   */
  static TierChoice.Segment keep(
      ViewFolder view,
      TierChoice.Segment segment,
      Map<String, Long> retained,
      List<QueryResult.Retained> gone) {
    String tier = segment.tier() == null ? LakeLayout.FILES_TIER : segment.tier();
    long keptFrom = retained.getOrDefault(tier, Long.MIN_VALUE);
    if (keptFrom <= segment.from()) {
      return segment;
    }
    long removedTo = Math.min(keptFrom, segment.to());
    long window = view.definition().window().millis();
    String name = segment.tier() == null ? view.definition().window().id() : segment.tier();
    String setting = LakeLayout.retentionSetting(tier, window);
    gone.add(
        new QueryResult.Retained(
            Instant.ofEpochMilli(segment.from()).toString(),
            Instant.ofEpochMilli(removedTo).toString(),
            name,
            Instant.ofEpochMilli(keptFrom).toString(),
            "removed by retention: the batch view keeps its "
                + name
                + " aggregates from "
                + Instant.ofEpochMilli(keptFrom)
                + " on ("
                + setting
                + "); a coarser granularity may still answer this range"));
    return removedTo >= segment.to()
        ? null
        : new TierChoice.Segment(segment.tier(), removedTo, segment.to());
  }
}
