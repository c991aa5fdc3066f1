package io.oxbow.lake;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the lake lives: a local directory ({@link LocalLakeStorage}, default {@code ./data/lake})
 * or an S3-compatible bucket ({@link S3LakeStorage}). Keys are relative, {@code /}-separated paths
 * such as {@code access_logs_enriched/dt=2026-11-25/hour=07/access-logs.enriched+0+0-99.parquet}.
 *
 * <p>The loader's exactly-once protocol needs only two guarantees, which both implementations give:
 * {@link #publish} makes a complete file visible under its final key at once (never a partial
 * file), and {@link #putAtomic} replaces a small object (a manifest) at once. Files are always
 * written on local disk first (under {@link #stagingDir()}), then published.
 */
public interface LakeStorage extends AutoCloseable {

  /** A local directory for files being written; for local storage on the lake's filesystem. */
  Path stagingDir();

  /**
   * Makes the complete local file {@code staged} durable and visible under {@code key}, replacing
   * any object there. The staged file is consumed (moved or deleted).
   */
  void publish(Path staged, String key) throws IOException;

  /** Durably replaces the object {@code key} with {@code content} in one step. */
  void putAtomic(String key, byte[] content) throws IOException;

  /** The object's bytes, or empty when there is none. */
  Optional<byte[]> read(String key) throws IOException;

  /** Every key below {@code prefix} (a folder, without trailing slash; "" for all), sorted. */
  default List<String> list(String prefix) throws IOException {
    return listObjects(prefix).stream().map(StoredObject::key).toList();
  }

  /**
   * Every object below {@code prefix} (a folder, without trailing slash; "" for all) with its size
   * and a tag that changes when it is rewritten, sorted by key; one listing, no read of any object.
   */
  List<StoredObject> listObjects(String prefix) throws IOException;

  /** Removes the object; no error when it is absent. */
  void delete(String key) throws IOException;

  /**
   * A local file with the object's content, for readers that need a file (Parquet). Close it when
   * done: for remote storage that deletes the downloaded copy.
   *
   * @throws java.nio.file.NoSuchFileException when there is no such object
   */
  LocalCopy localCopy(String key) throws IOException;

  /** Where the lake is, for logs and docs: {@code /abs/path} or {@code s3://bucket/prefix}. */
  String location();

  @Override
  void close();

  /**
   * One stored object as a listing shows it.
   *
   * @param key its key
   * @param size its size in bytes
   * @param tag changes whenever the object is written again: the modification time of a local file,
   *     the ETag of an S3 object
   */
  record StoredObject(String key, long size, String tag) {}

  /** A readable local file; {@link #close()} releases it. */
  interface LocalCopy extends AutoCloseable {
    /** The local file. */
    Path path();

    @Override
    void close();
  }
}
