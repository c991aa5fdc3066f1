package io.oxbow.serving.lake;

import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The decoded groups of recently read Parquet files of the batch views, each under the size and
 * modification time it was read at, bounded by the bytes they hold (estimated when read) and by
 * their number: least recently used evicted first; a file heavier than the byte bound is not kept.
 * A bound of 0 keeps nothing. Thread-safe.
 */
final class FileCache {
  private final long maxBytes;
  private final int maxEntries;
  private final Map<Path, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /**
   * One file's groups.
   *
   * @param size the file's size when read
   * @param modified its modification time when read, epoch millis
   * @param groups its groups (immutable)
   * @param bytes heap they take, estimated
   */
  record Entry(long size, long modified, Map<GroupKey, Aggregate> groups, long bytes) {}

  /** A cache of at most {@code maxBytes} (estimated) in at most {@code maxEntries} files. */
  FileCache(long maxBytes, int maxEntries) {
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
  }

  /** The groups of {@code file} when they were read at this size and modification time. */
  synchronized Map<GroupKey, Aggregate> get(Path file, long size, long modified) {
    Entry entry = entries.get(file);
    if (entry != null && entry.size() == size && entry.modified() == modified) {
      return entry.groups();
    }
    return null;
  }

  /** Keeps {@code entry} for {@code file} (replacing an older one), evicting beyond the bounds. */
  synchronized void put(Path file, Entry entry) {
    Entry old = entries.remove(file);
    if (old != null) {
      bytes -= old.bytes();
    }
    if (entry.bytes() > maxBytes || maxEntries == 0) {
      return;
    }
    entries.put(file, entry);
    bytes += entry.bytes();
    Iterator<Entry> eldest = entries.values().iterator();
    while ((bytes > maxBytes || entries.size() > maxEntries) && eldest.hasNext()) {
      bytes -= eldest.next().bytes();
      eldest.remove();
    }
  }

  /**
   * Heap one decoded row takes, estimated: 256 bytes of key and aggregate objects plus twice its
   * dimension values and metric states as stored (decoded sketches are about as large as their
   * serialized form, some larger).
   */
  static long estimatedBytes(GenericRecord row) {
    long bytes = 256;
    for (Object dim : (List<?>) row.get("dims")) {
      Object value = ((GenericRecord) dim).get("value");
      bytes += 64 + (value == null ? 0 : 2L * value.toString().length());
    }
    for (Object metric : (List<?>) row.get("metrics")) {
      Object state = ((GenericRecord) metric).get("state");
      bytes += 64 + (state instanceof ByteBuffer buffer ? 2L * buffer.remaining() : 0);
    }
    return bytes;
  }

  /** Bytes (estimated) held now. */
  synchronized long bytes() {
    return bytes;
  }

  /** Files held now. */
  synchronized int entries() {
    return entries.size();
  }
}
