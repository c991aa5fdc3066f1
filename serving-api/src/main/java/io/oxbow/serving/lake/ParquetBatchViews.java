package io.oxbow.serving.lake;

import io.oxbow.serving.query.BatchLayer;
import io.oxbow.serving.query.QueryException;
import io.oxbow.views.Aggregate;
import io.oxbow.views.AggregateCodec;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch view read from the lake: Parquet files of {@code ViewAggregate} rows under {@code
 * <lake>/views/<view>/} (Hive-style {@code dt=YYYY-MM-DD/hour=HH} partitions by window start), and
 * the watermark from {@link BatchManifest}. Partitions outside a query's range are not opened. A
 * file's decoded groups are cached until its size or modification time changes; groups of one key
 * in several files merge (the files hold disjoint parts of the input). {@link #version} tells
 * queries when any of this changed. The decoded files kept are bounded by bytes and number ({@link
 * FileCache}, defaults {@link #DEFAULT_CACHE_BYTES} and {@link #DEFAULT_CACHE_ENTRIES}).
 *
 * <p>A listed file that is gone when read (the compactor replaced the version the manifest named a
 * moment ago) makes the read start over from the manifest, up to {@link #READ_ATTEMPTS} times; a
 * view replaced on every attempt is answered 503 (try again), never an error of the server.
 *
 * <p>Only a local (or mounted) lake directory is read. Thread-safe.
 */
public final class ParquetBatchViews implements BatchLayer {
  private static final Logger log = LoggerFactory.getLogger(ParquetBatchViews.class);
  private static final long HOUR = 3_600_000L;

  /** Bytes (estimated) of decoded files kept by default: 128 MiB. */
  public static final long DEFAULT_CACHE_BYTES = 128L * 1024 * 1024;

  /** Decoded files kept by default. */
  public static final int DEFAULT_CACHE_ENTRIES = 10_000;

  /** Times a read starts over when a file of the version it read has been replaced. */
  public static final int READ_ATTEMPTS = 5;

  private final Path viewsDir;
  private final FileCache cache;
  private final ManifestReader manifests;

  /** Reads a view's manifest from its directory ({@link BatchManifest#read} by default). */
  @FunctionalInterface
  public interface ManifestReader {
    /**
     * The manifest of the view stored in {@code viewDir}, or empty when there is none.
     *
     * @throws IOException when it cannot be read
     */
    Optional<BatchManifest> read(Path viewDir) throws IOException;
  }

  /** The batch views of the lake at {@code lakeDir}, with the default file cache bounds. */
  public ParquetBatchViews(Path lakeDir) {
    this(lakeDir, DEFAULT_CACHE_BYTES, DEFAULT_CACHE_ENTRIES);
  }

  /**
   * The batch views of the lake at {@code lakeDir} (its {@code views} directory).
   *
   * @param cacheBytes most bytes (estimated) of decoded files kept (0: none)
   * @param cacheEntries most decoded files kept (0: none)
   */
  public ParquetBatchViews(Path lakeDir, long cacheBytes, int cacheEntries) {
    this(lakeDir, cacheBytes, cacheEntries, BatchManifest::read);
  }

  /**
   * As above, reading manifests with {@code manifests} (e.g. to see what a reader does when the
   * manifest it read is replaced at once).
   */
  public ParquetBatchViews(
      Path lakeDir, long cacheBytes, int cacheEntries, ManifestReader manifests) {
    this.viewsDir = lakeDir.resolve("views");
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

  /** The directory of {@code view}'s Parquet files. */
  public Path viewDir(String view) {
    return viewsDir.resolve(view);
  }

  @Override
  public OptionalLong watermark(String view) {
    return manifest(view).map(m -> OptionalLong.of(m.watermark())).orElse(OptionalLong.empty());
  }

  /**
   * The manifest (watermark and listed files) and the size and modification time of every file of
   * the view, whatever the range: a new publication, or a file written, replaced or removed, gives
   * a new version. Empty without a manifest.
   */
  @Override
  public Optional<Object> version(String view, long fromMillis, long toMillis) {
    Optional<BatchManifest> manifest = manifest(view);
    if (manifest.isEmpty()) {
      return Optional.empty();
    }
    List<Path> files =
        manifest
            .get()
            .files()
            .orElseGet(() -> listFiles(viewDir(view), Long.MIN_VALUE, Long.MAX_VALUE));
    List<FileStamp> stamps = new ArrayList<>(files.size());
    for (Path file : files) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        stamps.add(
            new FileStamp(file, attributes.size(), attributes.lastModifiedTime().toMillis()));
      } catch (IOException e) {
        stamps.add(new FileStamp(file, -1, -1));
      }
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
        log.info("Batch view file {} was replaced while read; reading the manifest again", e.file);
      }
    }
  }

  private Map<GroupKey, Aggregate> readOnce(ViewFolder view, long fromMillis, long toMillis) {
    Path dir = viewDir(view.name());
    Optional<BatchManifest> manifest = manifest(view.name());
    List<Path> files =
        manifest
            .flatMap(BatchManifest::files)
            .map(
                listed ->
                    listed.stream()
                        .filter(p -> inRange(dir.relativize(p), fromMillis, toMillis))
                        .toList())
            .orElseGet(() -> listFiles(dir, fromMillis, toMillis));
    Map<GroupKey, Aggregate> out = new HashMap<>();
    AggregateCodec codec = view.codec();
    for (Path file : files) {
      for (Map.Entry<GroupKey, Aggregate> group : groups(file, view, codec).entrySet()) {
        long start = group.getKey().windowStart();
        if (start >= fromMillis && start < toMillis) {
          out.merge(group.getKey(), group.getValue(), (a, b) -> view.merge(a.copy(), b));
        }
      }
    }
    return out;
  }

  private Optional<BatchManifest> manifest(String view) {
    try {
      return manifests.read(viewDir(view));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> listFiles(Path dir, long from, long to) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> visible(dir.relativize(p)) && inRange(dir.relativize(p), from, to))
          .sorted()
          .forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the batch view " + dir, e);
    }
    return files;
  }

  private static boolean visible(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.startsWith("_") || name.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  /** False only when the file's dt=/hour= partition lies wholly outside [from, to). */
  private static boolean inRange(Path relative, long from, long to) {
    Long day = null;
    Integer hour = null;
    for (Path part : relative) {
      String name = part.toString();
      try {
        if (name.startsWith("dt=")) {
          day =
              LocalDate.parse(name.substring(3)).atStartOfDay(ZoneOffset.UTC).toEpochSecond()
                  * 1000;
        } else if (name.startsWith("hour=")) {
          hour = Integer.parseInt(name.substring(5));
        }
      } catch (RuntimeException e) {
        return true;
      }
    }
    if (day == null) {
      return true;
    }
    long start = hour == null ? day : day + hour * HOUR;
    long end = hour == null ? day + 24 * HOUR : start + HOUR;
    return start < to && end > from;
  }

  private Map<GroupKey, Aggregate> groups(Path file, ViewFolder view, AggregateCodec codec) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      long size = attributes.size();
      long modified = attributes.lastModifiedTime().toMillis();
      Map<GroupKey, Aggregate> cached = cache.get(file, size, modified);
      if (cached != null) {
        return cached;
      }
      Map<GroupKey, Aggregate> groups = new HashMap<>();
      long bytes = 0;
      PlainParquetConfiguration conf = new PlainParquetConfiguration();
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file), conf)
              .withDataModel(GenericData.get())
              .build()) {
        GenericRecord row;
        while ((row = reader.read()) != null) {
          groups.merge(codec.keyOf(row), codec.fromAvro(row), view::merge);
          bytes += FileCache.estimatedBytes(row);
        }
      }
      log.debug("Read {} groups of view {} from {}", groups.size(), view.name(), file);
      Map<GroupKey, Aggregate> frozen = Map.copyOf(groups);
      cache.put(file, new FileCache.Entry(size, modified, frozen, bytes));
      return frozen;
    } catch (NoSuchFileException e) {
      throw new FileGone(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the batch view file " + file, e);
    }
  }

  /** A file listed or found a moment ago is gone: its version was replaced. */
  private static final class FileGone extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    FileGone(Path file) {
      super("batch view file " + file + " is gone", null, false, false);
      this.file = file;
    }
  }

  private record FileStamp(Path file, long size, long modified) {}

  private record Version(BatchManifest manifest, List<FileStamp> files) {}
}
