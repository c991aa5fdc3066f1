package io.oxbow.serving.lake;

import io.oxbow.lake.LakeStorage.StoredObject;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The decoded groups of recently read Parquet files of the batch views, each under the key, size
 * and tag (modification time, or S3 ETag) of the object it was read from, bounded by the bytes they
 * hold (estimated when read) and by their number: least recently used evicted first; a file heavier
 * than the byte bound is not kept. A bound of 0 keeps nothing. Thread-safe.
 */
final class FileCache {
  private final long maxBytes;
  private final int maxEntries;
  private final Map<StoredObject, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /**
   * One file's groups.
   *
   * @param groups its groups (immutable)
   * @param bytes heap they take, estimated
   */
  record Entry(Map<GroupKey, Aggregate> groups, long bytes) {}

  /** A cache of at most {@code maxBytes} (estimated) in at most {@code maxEntries} files. */
  FileCache(long maxBytes, int maxEntries) {
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
  }

  /** The groups of {@code file} when they were read at this size and tag, else null. */
  synchronized Map<GroupKey, Aggregate> get(StoredObject file) {
    Entry entry = entries.get(file);
    return entry == null ? null : entry.groups();
  }

  /**
   * Keeps {@code entry} for {@code file} (replacing any entry of an older size or tag of its key),
   * evicting beyond the bounds.
   */
  synchronized void put(StoredObject file, Entry entry) {
    Iterator<Map.Entry<StoredObject, Entry>> older = entries.entrySet().iterator();
    while (older.hasNext()) {
      Map.Entry<StoredObject, Entry> old = older.next();
      if (old.getKey().key().equals(file.key())) {
        bytes -= old.getValue().bytes();
        older.remove();
      }
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
