package io.oxbow.serving.query;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The layer parts of recent queries, bounded by the bytes they hold (estimated, see {@link
 * LayerPart#bytes()}) and by their number, least recently used evicted first. Every entry counts,
 * an empty part included (its key alone holds the query's text), so queries over empty ranges with
 * ever new keys cannot grow the cache past its bounds.
 *
 * <p>A key holds the whole query (except {@code limit}), the part's layer and range, the seam and
 * the layer's version of that range: a new batch publication, or a speed window of the range that
 * changed, gives another key, so an entry is never served for other data. A bound of 0 caches
 * nothing; a part heavier than the byte bound is not kept. Thread-safe; two queries missing the
 * same key at once both compute it.
 */
final class PartCache {
  private final long maxBytes;
  private final int maxEntries;
  private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long hits;

  /**
   * The key of one part of one query.
   *
   * @param query the query, with {@code limit} 0
   * @param layer {@code batch} or {@code speed}
   * @param version the layer's version of the range
   * @param seam start of the first window answered from the speed view
   * @param from start of the part's range
   * @param to end of the part's range
   */
  record Key(Query query, String layer, Object version, long seam, long from, long to) {
    /** Bytes the key holds, estimated: the entry and key objects and the query's texts. */
    long bytes() {
      long chars = query.view().length();
      for (String name : query.groupBy()) {
        chars += name.length();
      }
      for (String name : query.metrics()) {
        chars += name.length();
      }
      for (var filter : query.filters().entrySet()) {
        chars += filter.getKey().length();
        for (String value : filter.getValue()) {
          chars += value.length() + 48;
        }
      }
      return 512 + 2 * chars + 32L * query.orderBy().size();
    }
  }

  private record Entry(LayerPart part, long bytes) {}

  /** A cache holding at most {@code maxBytes} (estimated) in at most {@code maxEntries} parts. */
  PartCache(long maxBytes, int maxEntries) {
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
  }

  /** False when a bound is 0 (nothing is cached). */
  boolean enabled() {
    return maxBytes > 0 && maxEntries > 0;
  }

  /** The part cached under {@code key}, or the one {@code compute} gives (then kept). */
  LayerPart get(Key key, Supplier<LayerPart> compute) {
    synchronized (this) {
      Entry cached = entries.get(key);
      if (cached != null) {
        hits++;
        return cached.part();
      }
    }
    LayerPart part = compute.get();
    if (enabled()) {
      long size = key.bytes() + part.bytes();
      if (size <= maxBytes) {
        put(key, new Entry(part, size));
      }
    }
    return part;
  }

  private synchronized void put(Key key, Entry entry) {
    Entry old = entries.put(key, entry);
    bytes += entry.bytes() - (old == null ? 0 : old.bytes());
    Iterator<Entry> eldest = entries.values().iterator();
    while ((bytes > maxBytes || entries.size() > maxEntries) && eldest.hasNext()) {
      bytes -= eldest.next().bytes();
      eldest.remove();
    }
  }

  /** Bytes (estimated) held now. */
  synchronized long bytes() {
    return bytes;
  }

  /** Parts held now. */
  synchronized int entries() {
    return entries.size();
  }

  /** Lookups answered from the cache since start. */
  synchronized long hits() {
    return hits;
  }
}
