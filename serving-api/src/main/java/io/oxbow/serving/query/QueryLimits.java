package io.oxbow.serving.query;

import java.time.Duration;
import java.time.Instant;

/**
 * Bounds that keep one query, or many at once, from taking the server down. Each is checked before
 * the work it bounds is done; a query past one is refused with a JSON error naming the parameter to
 * change (see docs/serving-api.md, "Limits").
 *
 * @param maxBuckets most time buckets of the query's granularity its range may hold: the range
 *     limit, counted on the answer, not on the stored windows read (default 10,000: a year by hour;
 *     {@code granularity=all} is one bucket). The work of reading those windows is bounded by
 *     {@code maxGroups} and {@code timeout}.
 * @param maxGroups most stored groups (a window and its dimension values) a query may read from
 *     both layers (default 1,000,000)
 * @param maxRows most rows a query may return (default 10,000); a larger result needs a {@code
 *     limit}, a narrower range, a coarser granularity or fewer {@code groupBy} dimensions
 * @param timeout most time a query may compute (default 10 s); then it is given up with 503
 * @param maxConcurrent most queries computed and written at once (default 4)
 * @param concurrentWait most time a query waits for one of those places (default 2 s, so the burst
 *     of a dashboard loading is answered); then it gets 503 with Retry-After
 * @param maxParameterChars longest value of a query parameter, in characters (default 1,024)
 * @param maxFilters most {@code filter} values of one query (default 64)
 */
public record QueryLimits(
    int maxBuckets,
    long maxGroups,
    int maxRows,
    Duration timeout,
    int maxConcurrent,
    Duration concurrentWait,
    int maxParameterChars,
    int maxFilters) {
  /**
   * The earliest instant a query may name: {@code 1970-01-01T00:00:00Z}. No event of the pipeline
   * is older, and the bounds keep every span of milliseconds far from overflowing.
   */
  public static final Instant EARLIEST = Instant.EPOCH;

  /** The latest instant a query may name: {@code 9999-12-31T23:59:59.999Z}. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  /** The defaults. */
  public static final QueryLimits DEFAULTS =
      new QueryLimits(
          10_000, 1_000_000, 10_000, Duration.ofSeconds(10), 4, Duration.ofSeconds(2), 1_024, 64);

  /** Checks the bounds are positive. */
  public QueryLimits {
    if (maxBuckets < 1
        || maxGroups < 1
        || maxRows < 1
        || maxConcurrent < 1
        || maxParameterChars < 1
        || maxFilters < 1) {
      throw new IllegalArgumentException("query limits must be positive");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the query timeout must be positive");
    }
    if (concurrentWait == null || concurrentWait.isNegative()) {
      throw new IllegalArgumentException("the wait for a query's place must not be negative");
    }
  }

  /** The defaults with {@code maxBuckets} and {@code maxRows} as given. */
  public static QueryLimits of(int maxBuckets, int maxRows) {
    return DEFAULTS.withBucketsAndRows(maxBuckets, maxRows);
  }

  /** These limits with {@code maxBuckets} and {@code maxRows} as given. */
  public QueryLimits withBucketsAndRows(int buckets, int rows) {
    return new QueryLimits(
        buckets,
        maxGroups,
        rows,
        timeout,
        maxConcurrent,
        concurrentWait,
        maxParameterChars,
        maxFilters);
  }
}
