package io.oxbow.batch.view;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reads the batch views for the serving API: the batch watermark of a view, and the groups of a
 * view whose windows start in a time range, merged over the hour files they were folded from.
 *
 * <pre>{@code
 * BatchViewReader reader = new BatchViewReader(new LocalLakeStorage(Path.of("data/lake")));
 * ViewFolder traffic = ViewCatalog.defaults().folder("traffic");
 * OptionalLong w = reader.watermark("traffic");           // windows ending <= w are final
 * Map<GroupKey, Aggregate> groups = reader.read(traffic, from, w.getAsLong());
 * }</pre>
 *
 * <p>Each compacted hour holds the hour's contribution to every group (a window longer than an
 * hour, such as {@code 1d}, has one partial aggregate per hour), so groups are merged with the
 * view's monoid {@link ViewFolder#merge}. Only the version named by the {@link ViewManifest} is
 * read, so a re-compaction in progress is never seen half done. Thread-safe; every call reads the
 * manifest afresh.
 */
public final class BatchViewReader {
  private final LakeStorage storage;
  private final ViewManifestStore manifests;

  /** A reader of the lake in {@code storage}. */
  public BatchViewReader(LakeStorage storage) {
    this.storage = storage;
    this.manifests = new ViewManifestStore(storage);
  }

  /**
   * The batch watermark of {@code view}, UTC epoch millis: every window ending at or before it is
   * final in the batch view. Empty when nothing of the view is final yet.
   *
   * @throws UncheckedIOException when the manifest cannot be read
   */
  public OptionalLong watermark(String view) {
    ViewManifest.ViewState state = manifest().views().get(view);
    return state == null || state.watermark() == Long.MIN_VALUE
        ? OptionalLong.empty()
        : OptionalLong.of(state.watermark());
  }

  /**
   * Every group of {@code view} whose window starts in {@code [fromMillis, toMillis)}, from the
   * compacted hours. Windows that are not final yet (ending after the watermark) may be partial.
   *
   * @throws UncheckedIOException when the lake cannot be read
   */
  public Map<GroupKey, Aggregate> read(ViewFolder view, long fromMillis, long toMillis) {
    ViewManifest.ViewState state = manifest().views().get(view.name());
    Map<GroupKey, Aggregate> merged = new TreeMap<>();
    if (state == null || fromMillis >= toMillis) {
      return merged;
    }
    long window = view.definition().window().millis();
    long firstHour = LandedFile.hourOf(fromMillis);
    long lastHourExclusive = toMillis + Math.max(window, LandedFile.HOUR_MS);
    var hours = new TreeMap<>(state.hours()).subMap(firstHour, true, lastHourExclusive, false);
    try {
      for (var hour : hours.entrySet()) {
        String key = LakeLayout.viewFileKey(view.name(), hour.getKey(), hour.getValue().version());
        try (LakeStorage.LocalCopy copy = storage.localCopy(key)) {
          ParquetFiles.read(
              copy.path(),
              row -> {
                GroupKey groupKey = view.codec().keyOf(row);
                if (groupKey.windowStart() >= fromMillis && groupKey.windowStart() < toMillis) {
                  Aggregate aggregate = view.codec().fromAvro(row);
                  merged.merge(groupKey, aggregate, view::merge);
                }
              });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the batch view " + view.name(), e);
    }
    return merged;
  }

  /**
   * Every group of {@code view}'s roll-up {@code tier} ({@code 1h} or {@code 1d}, {@link
   * LakeLayout#TIERS}) whose bucket starts in {@code [fromMillis, toMillis)}: the view's groups
   * rolled up to the tier's window. Empty when the view has no such tier.
   *
   * @throws UncheckedIOException when the lake cannot be read
   */
  public Map<GroupKey, Aggregate> readTier(
      ViewFolder view, String tier, long fromMillis, long toMillis) {
    ViewManifest.ViewState state = manifest().views().get(view.name());
    Map<GroupKey, Aggregate> merged = new TreeMap<>();
    if (state == null || fromMillis >= toMillis) {
      return merged;
    }
    try {
      for (var bucket : state.tier(tier).entrySet()) {
        if (bucket.getKey() < fromMillis || bucket.getKey() >= toMillis) {
          continue;
        }
        String key =
            LakeLayout.tierFileKey(view.name(), tier, bucket.getKey(), bucket.getValue().version());
        try (LakeStorage.LocalCopy copy = storage.localCopy(key)) {
          ParquetFiles.read(
              copy.path(),
              row ->
                  merged.merge(view.codec().keyOf(row), view.codec().fromAvro(row), view::merge));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the batch view " + view.name(), e);
    }
    return merged;
  }

  private ViewManifest manifest() {
    try {
      return manifests.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
