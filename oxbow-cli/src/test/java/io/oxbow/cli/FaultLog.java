package io.oxbow.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The timeline of a fault test: each event (a kill, a restart, a recovery) at its second since the
 * test began, and each recovery also as the time since the event it recovers from. Each is printed
 * as it happens, prefixed {@code cluster fault:}, and all again at the end. Safe to record from
 * several threads.
 */
final class FaultLog {
  private final long begin;
  private final Map<String, Long> at = new HashMap<>();
  private final List<String> lines = new ArrayList<>();

  FaultLog(long beginNanos) {
    this.begin = beginNanos;
  }

  /** Records {@code event} now. */
  void note(String event) {
    note(event, "");
  }

  /** Records {@code event} now, printed with {@code detail} after it. */
  synchronized void note(String event, String detail) {
    long now = System.nanoTime();
    at.put(event, now);
    add(String.format("%6.1f s  %s%s", seconds(begin, now), event, detail));
  }

  /** Records the SIGKILL of {@code what} now (its event is {@code what}). */
  synchronized void killed(String what) {
    long now = System.nanoTime();
    at.put(what, now);
    add(String.format("%6.1f s  kill -9 %s", seconds(begin, now), what));
  }

  /** Records {@code event} now, with the time since the earlier event {@code since}. */
  synchronized void recovered(String event, String since) {
    long now = System.nanoTime();
    at.put(event, now);
    Long from = at.get(since);
    if (from == null) {
      throw new IllegalArgumentException("no event " + since + " recorded");
    }
    add(
        String.format(
            "%6.1f s  %s, %.1f s after %s", seconds(begin, now), event, seconds(from, now), since));
  }

  /** Prints the timeline and the whole run's time. */
  synchronized void print() {
    lines.forEach(l -> System.out.println("cluster fault: " + l));
    System.out.printf("cluster fault: whole run %.1f s%n", seconds(begin, System.nanoTime()));
  }

  private void add(String line) {
    lines.add(line);
    System.out.println("cluster fault: " + line);
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }
}
