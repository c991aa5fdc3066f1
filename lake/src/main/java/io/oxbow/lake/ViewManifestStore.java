package io.oxbow.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads and atomically replaces the {@link ViewManifest} (the batch loader's), and writes and reads
 * each view's {@link PublishedViewManifest} (the readers'): the one writer and the one reader of
 * both, so the loader and the serving API cannot disagree on them. A view without a watermark yet
 * has no published manifest.
 */
public final class ViewManifestStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LakeStorage storage;

  /** The manifests in {@code storage}. */
  public ViewManifestStore(LakeStorage storage) {
    this.storage = storage;
  }

  /** The manifest, or an empty one when no view was compacted yet. */
  public ViewManifest read() throws IOException {
    Optional<byte[]> bytes = storage.read(ViewManifest.KEY);
    if (bytes.isEmpty()) {
      return ViewManifest.empty();
    }
    try {
      return JSON.readValue(bytes.get(), ViewManifest.class);
    } catch (IOException e) {
      throw new IOException(
          "the view manifest " + ViewManifest.KEY + " is not readable: " + e.getMessage(), e);
    }
  }

  /**
   * The published manifest of {@code view}, or empty when there is none.
   *
   * @throws IOException naming the key when it cannot be read or is not a manifest
   */
  public Optional<PublishedViewManifest> readPublished(String view) throws IOException {
    String key = LakeLayout.viewManifestKey(view);
    Optional<byte[]> bytes = storage.read(key);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(PublishedViewManifest.parse(view, key, bytes.get()));
  }

  /** Atomically replaces the manifest, then each view's published manifest. */
  public void write(ViewManifest manifest) throws IOException {
    storage.putAtomic(
        ViewManifest.KEY, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    for (Map.Entry<String, ViewManifest.ViewState> view : manifest.views().entrySet()) {
      if (view.getValue().watermark() != Long.MIN_VALUE) {
        writePublished(published(view.getKey(), view.getValue()));
      }
    }
  }

  /**
   * Publishes new versions of some hours of {@code view} from files written elsewhere (Parquet of
   * {@code ViewAggregate} rows, one per hour) and moves its watermark, in the compactor's order:
   * each file under its new version's key, then the manifests, then the replaced versions removed.
   * The roll-up tier buckets (hour and day) holding a published hour are dropped, so readers take
   * that hour's own files until {@link #publishTier} publishes them again. For tools and tests that
   * build a batch view without the loader.
   *
   * @param dataset the landed dataset the view folds (kept in the manifest)
   * @param staged hour start (UTC epoch millis) to the file of its groups; each is consumed
   * @param watermark the view's new watermark, UTC epoch millis
   * @return the manifest written
   */
  public ViewManifest publishHours(
      String view, String dataset, Map<Long, java.nio.file.Path> staged, long watermark)
      throws IOException {
    ViewManifest manifest = read();
    ViewManifest.ViewState state = manifest.view(view, dataset);
    List<String> replaced = new ArrayList<>();
    for (Map.Entry<Long, java.nio.file.Path> hour : staged.entrySet()) {
      ViewManifest.HourVersion previous = state.hours().get(hour.getKey());
      long version = previous == null ? 1 : previous.version() + 1;
      if (previous != null) {
        replaced.add(LakeLayout.viewFileKey(view, hour.getKey(), previous.version()));
      }
      storage.publish(hour.getValue(), LakeLayout.viewFileKey(view, hour.getKey(), version));
      state = state.withHour(hour.getKey(), new ViewManifest.HourVersion(version, 0, 0, 0));
      // a tier bucket folded from the replaced hour no longer agrees with it: readers fall back to
      // the view's own files of that bucket until it is published again (publishTier)
      for (String tier : LakeLayout.TIERS) {
        long size = LakeLayout.tierMillis(tier);
        long start = Math.floorDiv(hour.getKey(), size) * size;
        ViewManifest.HourVersion stale = state.tier(tier).get(start);
        if (stale != null) {
          replaced.add(LakeLayout.tierFileKey(view, tier, start, stale.version()));
          state = state.withoutTierBucket(tier, start);
        }
      }
    }
    ViewManifest next = manifest.with(view, state.withWatermark(watermark));
    write(next);
    for (String key : replaced) {
      storage.delete(key);
    }
    return next;
  }

  /**
   * Publishes new versions of some buckets of {@code view}'s roll-up {@code tier} from files
   * written elsewhere (Parquet of {@code ViewAggregate} rows at the tier's window, one per bucket),
   * in {@link #publishHours}'s order. For tools and tests that build a batch view without the
   * loader; the caller keeps the tier equal to the view's files rolled up.
   *
   * @param staged bucket start (UTC epoch millis) to its file; each is consumed
   * @return the manifest written
   */
  public ViewManifest publishTier(String view, String tier, Map<Long, java.nio.file.Path> staged)
      throws IOException {
    ViewManifest manifest = read();
    ViewManifest.ViewState state = manifest.views().get(view);
    if (state == null) {
      throw new IllegalStateException("view " + view + " has no hours to roll up");
    }
    List<String> replaced = new ArrayList<>();
    for (Map.Entry<Long, java.nio.file.Path> bucket : staged.entrySet()) {
      ViewManifest.HourVersion previous = state.tier(tier).get(bucket.getKey());
      long version = previous == null ? 1 : previous.version() + 1;
      if (previous != null) {
        replaced.add(LakeLayout.tierFileKey(view, tier, bucket.getKey(), previous.version()));
      }
      storage.publish(
          bucket.getValue(), LakeLayout.tierFileKey(view, tier, bucket.getKey(), version));
      state =
          state.withTierBucket(
              tier, bucket.getKey(), new ViewManifest.HourVersion(version, 0, 0, 0));
    }
    ViewManifest next = manifest.with(view, state);
    write(next);
    for (String key : replaced) {
      storage.delete(key);
    }
    return next;
  }

  /** Atomically replaces one view's published manifest. */
  public void writePublished(PublishedViewManifest manifest) throws IOException {
    storage.putAtomic(LakeLayout.viewManifestKey(manifest.view()), manifest.toJson());
  }

  /**
   * What readers are told of {@code view} in {@code state}: its watermark, current files and the
   * current files of its roll-up tiers, each from where retention keeps it ({@link
   * ViewManifest.ViewState#retainedFrom(String)}), and those horizons.
   */
  public static PublishedViewManifest published(String view, ViewManifest.ViewState state) {
    String folder = LakeLayout.viewFolder(view) + "/";
    List<String> files = new ArrayList<>();
    long filesFrom = state.retainedFrom(LakeLayout.FILES_TIER);
    state
        .hours()
        .forEach(
            (hour, version) -> {
              if (hour >= filesFrom) {
                files.add(
                    LakeLayout.viewFileKey(view, hour, version.version())
                        .substring(folder.length()));
              }
            });
    Map<String, List<String>> tiers = new TreeMap<>();
    state
        .tiers()
        .forEach(
            (tier, buckets) -> {
              List<String> tierFiles = new ArrayList<>();
              long from = state.retainedFrom(tier);
              buckets.forEach(
                  (start, version) -> {
                    if (start >= from) {
                      tierFiles.add(
                          LakeLayout.tierFileKey(view, tier, start, version.version())
                              .substring(folder.length()));
                    }
                  });
              tiers.put(tier, tierFiles);
            });
    return new PublishedViewManifest(
        view, state.watermark(), Optional.of(files), tiers, state.retainedFrom());
  }

  /**
   * Switches the manifest to {@code next} (in one atomic write, then each view's published
   * manifest), then deletes {@code removed}: the removal order of retention, so a reader that read
   * the old manifest finds every file it names until the switch, and one that reads the new one
   * never looks for the removed files. A crash between the two leaves the removed files as orphans
   * that no manifest names.
   *
   * @return the keys deleted
   */
  public List<String> switchThenDelete(ViewManifest next, List<String> removed) throws IOException {
    write(next);
    for (String key : removed) {
      storage.delete(key);
    }
    return List.copyOf(removed);
  }
}
