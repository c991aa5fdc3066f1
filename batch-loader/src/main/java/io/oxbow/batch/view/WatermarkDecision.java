package io.oxbow.batch.view;

import io.oxbow.batch.upstream.UpstreamLag;
import java.util.Optional;

/**
 * Up to where a dataset's hours are closed, and why there and not further.
 *
 * @param closedUpTo an hour boundary, UTC epoch millis; {@link Long#MIN_VALUE} when nothing closes
 * @param basis what the point follows: {@code none}, {@code event-time} or {@code wall-clock}
 * @param reason one line for an operator, e.g. {@code held: upstream group oxbow-stream lags 23606
 *     records on access-logs.raw}
 * @param upstream the upstream's lag when it holds the watermark back (otherwise empty)
 */
public record WatermarkDecision(
    long closedUpTo, String basis, String reason, Optional<UpstreamLag> upstream) {

  /** Nothing closes, for {@code reason}. */
  static WatermarkDecision none(String reason, Optional<UpstreamLag> upstream) {
    return new WatermarkDecision(Long.MIN_VALUE, "none", reason, upstream);
  }

  /** True when the upstream's lag keeps an otherwise idle partition from counting as idle. */
  public boolean heldByUpstream() {
    return upstream.isPresent();
  }
}
