package io.oxbow.views.visit;

import java.time.Duration;
import java.util.Objects;

/**
 * What makes a visit, the same in the speed and the batch layer (the services fill it from the
 * deployment-wide settings {@code oxbow.visit-timeout} and {@code
 * oxbow.visit-max-page-views-per-minute}).
 *
 * @param timeout the inactivity timeout: a page view joins a visitor's visit when it comes at most
 *     this long after the visit's last page view (a gap exactly equal to it still joins, as Kafka
 *     Streams' session windows merge at a gap equal to their inactivity gap); default 30 min
 * @param maxPageViewsPerMinute a visit whose page views outpace this rate is flagged {@code
 *     page-rate}: more page views than this many per started minute of its duration ({@code
 *     page_views > max * (duration_ms / 60000 + 1)}, so 31 page views within a minute, or 61 within
 *     two); 0 turns the rule off; default 30. The rule reads only the visit's count, start and end,
 *     so a visit's state stays small and both layers flag it alike.
 */
public record VisitRules(Duration timeout, int maxPageViewsPerMinute) {
  /** The defaults: 30 min timeout, page-rate above 30 page views in a minute. */
  public static final VisitRules DEFAULTS = new VisitRules(Duration.ofMinutes(30), 30);

  /** Bot reason of a visit counted as human. */
  public static final String HUMAN = "none";

  /** Bot reason of a visit with page views faster than the limit. */
  public static final String PAGE_RATE = "page-rate";

  /** Checks the values. */
  public VisitRules {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("visit timeout must be > 0, not " + timeout);
    }
    if (maxPageViewsPerMinute < 0) {
      throw new IllegalArgumentException(
          "max page views per minute must be >= 0, not " + maxPageViewsPerMinute);
    }
  }

  /** The timeout in millis. */
  public long timeoutMillis() {
    return timeout.toMillis();
  }

  /** {@link #PAGE_RATE} when the visit outpaces the limit, else {@link #HUMAN}. */
  String botReason(long pageViews, long durationMs) {
    long minutes = durationMs / 60_000L + 1;
    return maxPageViewsPerMinute > 0 && pageViews > maxPageViewsPerMinute * minutes
        ? PAGE_RATE
        : HUMAN;
  }
}
