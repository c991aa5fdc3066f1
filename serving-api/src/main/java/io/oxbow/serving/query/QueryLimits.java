package io.oxbow.serving.query;

/**
 * Bounds that keep one query from taking the server down.
 *
 * @param maxWindows most windows of the view's own size a query's range may span (default 100,000:
 *     69 days of a one-minute view)
 * @param maxRows most rows a query may return (default 10,000); a larger result needs a {@code
 *     limit}, a narrower range, a coarser granularity or fewer {@code groupBy} dimensions
 */
public record QueryLimits(long maxWindows, int maxRows) {
  /** The defaults. */
  public static final QueryLimits DEFAULTS = new QueryLimits(100_000, 10_000);

  /** Checks the bounds are positive. */
  public QueryLimits {
    if (maxWindows < 1 || maxRows < 1) {
      throw new IllegalArgumentException("query limits must be positive");
    }
  }
}
