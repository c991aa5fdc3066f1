package io.oxbow.cli.demo;

import java.time.Duration;
import java.time.Instant;

/**
 * When to send each replayed line, and the event time it gets.
 *
 * <p>Original times are moved by one shift so the replay ends "now": with a speed factor {@code s},
 * a log spanning {@code [first, last]} takes {@code (last - first) / s} of wall time and the last
 * line's event time is the moment it is sent. With {@code max} speed lines are sent as fast as the
 * pipeline takes them and the last line lands at the start time. With {@code keepTime} events keep
 * their original times. A line earlier than one already sent (logs are not sorted) goes out at
 * once.
 *
 * @param first earliest original event time of the replay
 * @param shift added to every original event time
 * @param wallStart wall time that corresponds to {@code first}
 * @param speed speed factor; {@code 0} means as fast as possible
 */
public record ReplayClock(Instant first, Duration shift, Instant wallStart, double speed) {

  /** Plans a replay of {@code [first, last]} starting at {@code now}. */
  public static ReplayClock plan(
      Instant first, Instant last, Instant now, double speed, boolean keepTime) {
    if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be a positive factor or max, was " + speed);
    }
    Duration span = Duration.between(first, last);
    Duration replay = speed == 0 ? Duration.ZERO : scale(span, 1 / speed);
    Duration shift = keepTime ? Duration.ZERO : Duration.between(last, now.plus(replay));
    return new ReplayClock(first, shift, now, speed);
  }

  /** The event time a line originally at {@code original} is given. */
  public Instant eventTime(Instant original) {
    return original.plus(shift);
  }

  /** The wall time at which a line originally at {@code original} is due. */
  public Instant due(Instant original) {
    if (speed == 0) {
      return wallStart;
    }
    return wallStart.plus(scale(Duration.between(first, original), 1 / speed));
  }

  /** The same plan resumed at {@code now} for a line originally at {@code next}. */
  public ReplayClock resumeAt(Instant next, Instant now) {
    if (speed == 0) {
      return new ReplayClock(first, shift, now, speed);
    }
    Instant start = now.minus(scale(Duration.between(first, next), 1 / speed));
    return new ReplayClock(first, shift, start, speed);
  }

  private static Duration scale(Duration d, double factor) {
    return Duration.ofNanos(Math.round(d.toNanos() * factor));
  }
}
