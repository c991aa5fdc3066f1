package io.oxbow.stream.geoip;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Countries of recently seen client addresses, shared by every task of an app, in front of the
 * geo-IP store's range lookup (a store iterator and an Avro decode per event otherwise). At most
 * {@code maxEntries} addresses are kept (least recently used go first).
 *
 * <p>Every change of the geo-IP store calls {@link #storeChanged()} after writing it; an answer
 * computed before a change is not served after it. A lookup reads the generation before it reads
 * the store, so an answer computed while a reload is under way is tagged with the generation before
 * the reload's last write and is computed again once that write is done.
 */
public final class GeoIpCache {
  /** Addresses an app's cache holds (some 10 to 20 MB of heap). */
  public static final int DEFAULT_ENTRIES = 100_000;

  private final Cache<String, Tagged> answers;
  private final AtomicLong generation = new AtomicLong();

  private record Tagged(long generation, GeoIpLookup.Result result) {}

  /** A cache of at most {@code maxEntries} addresses; 0 turns it off. */
  public GeoIpCache(int maxEntries) {
    // evictions run on the calling thread: the bound holds at once, without a background pool
    this.answers =
        maxEntries > 0
            ? Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build()
            : null;
  }

  /** Called after every write to the geo-IP store. */
  public void storeChanged() {
    generation.incrementAndGet();
  }

  /** The answer for {@code client}, from the cache or from {@code lookup}. */
  GeoIpLookup.Result get(String client, Function<String, GeoIpLookup.Result> lookup) {
    if (answers == null) {
      return lookup.apply(client);
    }
    long current = generation.get();
    Tagged cached = answers.getIfPresent(client);
    if (cached != null && cached.generation == current) {
      return cached.result;
    }
    GeoIpLookup.Result result = lookup.apply(client);
    answers.put(client, new Tagged(current, result));
    return result;
  }
}
