package io.oxbow.serving.lake;

import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LakeStorage.StoredObject;
import io.oxbow.lake.PublishedViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.serving.query.BatchLayer;
import io.oxbow.serving.query.QueryException;
import io.oxbow.views.Aggregate;
import io.oxbow.views.AggregateCodec;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch view read from the lake, local or S3 ({@link LakeStorage}): Parquet files of {@code
 * ViewAggregate} rows under {@code views/<view>/} (hour partitions by window start, {@link
 * LakeLayout}), and the watermark from the view's published manifest ({@link
 * PublishedViewManifest}, read afresh by every query). Only the files the manifest lists are read
 * (all visible ones when it lists none), and partitions outside a query's range are not opened.
 *
 * <p>The roll-up tiers the manifest lists ({@code tiers}: {@code 1h}, {@code 1d}) are read by
 * {@link #readTier}; a manifest without them has none, and every read is of the view's own files.
 *
 * <p>A file is read whole: from S3 it is downloaded (one GET) into a temporary file, decoded and
 * the copy deleted at once, so local disk holds only the files being decoded. The decoded groups
 * are kept in a {@link FileCache} bounded by bytes and number (defaults {@link
 * #DEFAULT_CACHE_BYTES}, {@link #DEFAULT_CACHE_ENTRIES}) under the file's key, size and tag
 * (modification time, or S3 ETag), from one listing of the view's folder per read; groups of one
 * key in several files merge. {@link #version} tells queries when any of this changed.
 *
 * <p>A listed file that is gone when read (the compactor replaced the version the manifest named a
 * moment ago) makes the read start over from the manifest, up to {@link #READ_ATTEMPTS} times; a
 * view replaced on every attempt is answered 503 (try again), and so is a lake that cannot be read;
 * never an error of the server. Thread-safe.
 */
public final class ParquetBatchViews implements BatchLayer {
  private static final Logger log = LoggerFactory.getLogger(ParquetBatchViews.class);

  /** Bytes (estimated) of decoded files kept by default: 128 MiB. */
  public static final long DEFAULT_CACHE_BYTES = 128L * 1024 * 1024;

  /** Decoded files kept by default. */
  public static final int DEFAULT_CACHE_ENTRIES = 10_000;

  /**
   * Times a read starts over when a file of the version it read has been replaced, and times a
   * manifest that cannot be read is read.
   */
  public static final int READ_ATTEMPTS = 5;

  /** Tag of a file the manifest names and the listing did not show (yet). */
  private static final String UNLISTED = "unlisted";

  private final LakeStorage storage;
  private final FileCache cache;
  private final ManifestReader manifests;

  /**
   * Reads a view's published manifest (by default as {@link ViewManifestStore#readPublished} does,
   * parsing it again only when its bytes changed).
   */
  @FunctionalInterface
  public interface ManifestReader {
    /**
     * The published manifest of {@code view}, or empty when there is none.
     *
     * @throws IOException when it cannot be read
     */
    Optional<PublishedViewManifest> read(String view) throws IOException;
  }

  /** The batch views of the lake in {@code storage}, with the default file cache bounds. */
  public ParquetBatchViews(LakeStorage storage) {
    this(storage, DEFAULT_CACHE_BYTES, DEFAULT_CACHE_ENTRIES);
  }

  /**
   * The batch views of the lake in {@code storage} (not closed by this reader).
   *
   * @param cacheBytes most bytes (estimated) of decoded files kept (0: none)
   * @param cacheEntries most decoded files kept (0: none)
   */
  public ParquetBatchViews(LakeStorage storage, long cacheBytes, int cacheEntries) {
    this(storage, cacheBytes, cacheEntries, new ManifestCache(storage));
  }

  /**
   * As above, reading manifests with {@code manifests} (e.g. to see what a reader does when the
   * manifest it read is replaced at once).
   */
  public ParquetBatchViews(
      LakeStorage storage, long cacheBytes, int cacheEntries, ManifestReader manifests) {
    this.storage = storage;
    this.cache = new FileCache(cacheBytes, cacheEntries);
    this.manifests = manifests;
  }

  /** Bytes (estimated) of decoded files kept now. */
  public long cachedBytes() {
    return cache.bytes();
  }

  /** Decoded files kept now. */
  public int cachedFiles() {
    return cache.entries();
  }

  /**
   * Reads {@code view}'s published manifest once.
   *
   * @throws IOException when the lake cannot be read (for readiness)
   */
  public void checkReadable(String view) throws IOException {
    manifests.read(view);
  }

  @Override
  public OptionalLong watermark(String view) {
    return manifest(view).map(m -> OptionalLong.of(m.watermark())).orElse(OptionalLong.empty());
  }

  /**
   * The version of the view's batch files, whatever the range; empty without a manifest. When the
   * manifest names the files (as the batch loader's always does), the manifest alone: every
   * publication names new files (a re-compacted hour or tier bucket gets version N+1, never the
   * same name), so no file it names changes while it is current, and a query needs no listing of
   * the view's folder (a year of hour files and tiers is some 18,000 files, 18 LIST pages on S3) to
   * find its answer in the query cache. When it names none (a lake written by another tool), the
   * manifest and the size and tag of every visible file: a file written, replaced or removed gives
   * a new version.
   */
  @Override
  public Optional<Object> version(String view, long fromMillis, long toMillis) {
    Optional<PublishedViewManifest> manifest = manifest(view);
    if (manifest.isEmpty()) {
      return Optional.empty();
    }
    if (manifest.get().fileKeys().isPresent()) {
      return Optional.of(new Version(manifest.get(), List.of()));
    }
    Map<String, StoredObject> objects = listing(view);
    List<String> files = new ArrayList<>(visibleFiles(view, objects));
    manifest.get().tiers().keySet().forEach(t -> files.addAll(manifest.get().tierFileKeys(t)));
    List<StoredObject> stamps = new ArrayList<>(files.size());
    for (String file : files) {
      stamps.add(objects.getOrDefault(file, new StoredObject(file, -1, "")));
    }
    return Optional.of(new Version(manifest.get(), stamps));
  }

  @Override
  public Map<GroupKey, Aggregate> read(ViewFolder view, long fromMillis, long toMillis) {
    for (int attempt = 1; ; attempt++) {
      try {
        return readOnce(view, fromMillis, toMillis);
      } catch (FileGone e) {
        if (attempt >= READ_ATTEMPTS) {
          log.warn(
              "Batch view {} was replaced during each of {} reads; answering 503",
              view.name(),
              attempt);
          throw QueryException.batchViewChanging(view.name());
        }
        log.info("Batch view file {} was replaced while read; reading the manifest again", e.key);
      }
    }
  }

  private Map<GroupKey, Aggregate> readOnce(ViewFolder view, long fromMillis, long toMillis) {
    Optional<PublishedViewManifest> manifest = manifest(view.name());
    Map<String, StoredObject> objects = listing(view.name());
    List<String> files =
        manifest
            .flatMap(PublishedViewManifest::fileKeys)
            .orElseGet(() -> visibleFiles(view.name(), objects));
    return readFiles(view, files, objects, fromMillis, toMillis);
  }

  /** The tiers the view's published manifest lists (none without a manifest). */
  @Override
  public List<String> tiers(String view) {
    return manifest(view).map(m -> List.copyOf(m.tiers().keySet())).orElse(List.of());
  }

  /** The horizons of retention the view's published manifest names (none without one). */
  @Override
  public Map<String, Long> retainedFrom(String view) {
    return manifest(view).map(PublishedViewManifest::retainedFrom).orElse(Map.of());
  }

  /**
   * The groups of {@code tier} whose bucket starts in {@code [fromMillis, toMillis)}: its listed
   * files, and for a bucket of the range the tier lists no file for (an hour or day compacted
   * before the view had tiers) the view's own files of that bucket, which roll up to the same
   * answer. Retried as {@link #read} is when a file is replaced while read.
   */
  @Override
  public Map<GroupKey, Aggregate> readTier(
      ViewFolder view, String tier, long fromMillis, long toMillis) {
    for (int attempt = 1; ; attempt++) {
      try {
        return readTierOnce(view, tier, fromMillis, toMillis);
      } catch (FileGone e) {
        if (attempt >= READ_ATTEMPTS) {
          throw QueryException.batchViewChanging(view.name());
        }
        log.info("Batch view file {} was replaced while read; reading the manifest again", e.key);
      }
    }
  }

  private Map<GroupKey, Aggregate> readTierOnce(
      ViewFolder view, String tier, long fromMillis, long toMillis) {
    Optional<PublishedViewManifest> manifest = manifest(view.name());
    if (manifest.isEmpty()) {
      return Map.of();
    }
    Map<String, StoredObject> objects = listing(view.name());
    String folder = LakeLayout.viewFolder(view.name()) + "/";
    long size = LakeLayout.tierMillis(tier);
    Set<Long> tiered = new HashSet<>();
    List<String> files = new ArrayList<>();
    for (String file : manifest.get().tierFileKeys(tier)) {
      OptionalLong start = LakeLayout.partitionStart(file.substring(folder.length()));
      if (start.isPresent() && start.getAsLong() >= fromMillis && start.getAsLong() < toMillis) {
        tiered.add(start.getAsLong());
        files.add(file);
      }
    }
    for (String file :
        manifest.get().fileKeys().orElseGet(() -> visibleFiles(view.name(), objects))) {
      OptionalLong start = LakeLayout.partitionStart(file.substring(folder.length()));
      if (start.isEmpty() || !tiered.contains(Math.floorDiv(start.getAsLong(), size) * size)) {
        files.add(file);
      }
    }
    return readFiles(view, files, objects, fromMillis, toMillis);
  }

  /** The groups of {@code files} whose window starts in {@code [fromMillis, toMillis)}. */
  private Map<GroupKey, Aggregate> readFiles(
      ViewFolder view,
      List<String> files,
      Map<String, StoredObject> objects,
      long fromMillis,
      long toMillis) {
    String folder = LakeLayout.viewFolder(view.name()) + "/";
    Map<GroupKey, Aggregate> out = new HashMap<>();
    AggregateCodec codec = view.codec();
    for (String file : files) {
      if (!LakeLayout.mayOverlap(file.substring(folder.length()), fromMillis, toMillis)) {
        continue;
      }
      // a listed file the listing lacks is fetched all the same: gone, it is a replaced version;
      // there, it is one a store with lagging listings (s3rver) has not listed yet
      StoredObject object = objects.getOrDefault(file, new StoredObject(file, -1, UNLISTED));
      for (Map.Entry<GroupKey, Aggregate> group : groups(object, view, codec).entrySet()) {
        long start = group.getKey().windowStart();
        if (start >= fromMillis && start < toMillis) {
          out.merge(group.getKey(), group.getValue(), (a, b) -> view.merge(a.copy(), b));
        }
      }
    }
    return out;
  }

  /**
   * The view's published manifest. One that cannot be read is read again, up to {@link
   * #READ_ATTEMPTS} times: S3 replaces an object atomically, but some S3-compatible stores (s3rver)
   * may show one while it is overwritten.
   */
  private Optional<PublishedViewManifest> manifest(String view) {
    for (int attempt = 1; ; attempt++) {
      try {
        return manifests.read(view);
      } catch (IOException e) {
        if (attempt >= READ_ATTEMPTS) {
          log.warn("cannot read the manifest of batch view {}: {}", view, e.toString());
          throw QueryException.lakeUnavailable(view);
        }
        log.debug("manifest of batch view {} not readable, reading it again: {}", view, e);
      }
    }
  }

  /** The view's files by key, from one listing of its folder. */
  private Map<String, StoredObject> listing(String view) {
    try {
      Map<String, StoredObject> objects = new HashMap<>();
      for (StoredObject object : storage.listObjects(LakeLayout.viewFolder(view))) {
        objects.put(object.key(), object);
      }
      return objects;
    } catch (IOException e) {
      log.warn("cannot list batch view {} in {}: {}", view, storage.location(), e.toString());
      throw QueryException.lakeUnavailable(view);
    }
  }

  private static List<String> visibleFiles(String view, Map<String, StoredObject> objects) {
    String folder = LakeLayout.viewFolder(view) + "/";
    return objects.keySet().stream()
        .filter(k -> k.endsWith(".parquet"))
        .filter(k -> !LakeLayout.hidden(k.substring(folder.length())))
        .filter(k -> !LakeLayout.inTier(k.substring(folder.length())))
        .sorted()
        .toList();
  }

  private Map<GroupKey, Aggregate> groups(
      StoredObject object, ViewFolder view, AggregateCodec codec) {
    Map<GroupKey, Aggregate> cached = cache.get(object);
    if (cached != null) {
      return cached;
    }
    try (LakeStorage.LocalCopy copy = storage.localCopy(object.key())) {
      FileCache.Entry entry = ViewFileDecoder.decode(copy.path(), view, codec);
      log.debug(
          "Read {} groups of view {} from {}", entry.groups().size(), view.name(), object.key());
      if (!UNLISTED.equals(object.tag())) {
        cache.put(object, entry);
      }
      return entry.groups();
    } catch (NoSuchFileException e) {
      throw new FileGone(object.key());
    } catch (IOException e) {
      log.warn("cannot read batch view file {}: {}", object.key(), e.toString());
      throw QueryException.lakeUnavailable(view.name());
    }
  }

  /** A file listed or found a moment ago is gone: its version was replaced. */
  private static final class FileGone extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    FileGone(String key) {
      super("batch view file " + key + " is gone", null, false, false);
      this.key = key;
    }
  }

  private record Version(PublishedViewManifest manifest, List<StoredObject> files) {}
}
