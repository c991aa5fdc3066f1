package io.oxbow.runtime.http.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oxbow.runtime.http.ApiException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-key token buckets: each API key may make {@code perSecond} requests a second on average and
 * {@code burst} at once. Without keys configured every client address gets its own bucket. A
 * request over the limit gets 429 with {@code Retry-After} (whole seconds until a token is back)
 * and counts in {@code http.rate.limited{key=NAME}} (the key's name, or {@code anonymous}).
 */
public final class RateLimiter {
  /** Most buckets kept; past it, buckets that have filled up again are forgotten. */
  static final int MAX_BUCKETS = 10_000;

  private final double perSecond;
  private final double burst;
  private final MeterRegistry meters;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * A limiter.
   *
   * @param perSecond requests a second per key, more than 0
   * @param burst requests at once per key, at least 1
   * @param meters where the refusals are counted
   * @param nanoTime the clock ({@code System::nanoTime})
   */
  public RateLimiter(double perSecond, int burst, MeterRegistry meters, LongSupplier nanoTime) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.meters = meters;
    this.nanoTime = nanoTime;
  }

  /**
   * Takes a token for {@code key}.
   *
   * @param key the request's key
   * @param clientAddress the client's address (the bucket of anonymous requests)
   * @throws ApiException 429 with {@code Retry-After} when the bucket is empty
   */
  public void acquire(ApiKey key, String clientAddress) {
    String id = key == ApiKey.ANONYMOUS ? "@" + clientAddress : key.name();
    long now = nanoTime.getAsLong();
    if (buckets.size() >= MAX_BUCKETS) {
      buckets.values().removeIf(b -> b.full(now));
    }
    long waitNanos = buckets.computeIfAbsent(id, k -> new Bucket(now)).take(now);
    if (waitNanos > 0) {
      Counter.builder("http.rate.limited")
          .description("Requests refused with 429 by the per-key rate limit")
          .tag("key", key.name())
          .register(meters)
          .increment();
      long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      throw new ApiException(
          429,
          "rate limit of this API key exceeded ("
              + perSecond
              + " requests/s, burst "
              + (long) burst
              + "); retry after "
              + seconds
              + " s",
          List.of(),
          Map.of("Retry-After", String.valueOf(seconds)));
    }
  }

  private final class Bucket {
    private double tokens = burst;
    private long updated;

    Bucket(long now) {
      this.updated = now;
    }

    /** 0 when a token was taken, else nanoseconds until one is back. */
    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      tokens = Math.min(burst, tokens + (now - updated) / 1e9 * perSecond);
      updated = now;
    }
  }
}
