package io.oxbow.cli.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The demo's replay progress: a bar redrawn in place on a terminal; otherwise (a log, a pipe) a
 * line at each tenth of the lines and, between tenths, at most every {@link #QUIET} after the last
 * one, so that a slow replay (60x takes over an hour on the samples) still shows it is moving.
 */
public final class ReplayProgress implements Replayer.Progress {
  /** Longest stretch without a line while lines are acknowledged, when not on a terminal. */
  public static final Duration QUIET = Duration.ofSeconds(30);

  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private int lastTenth = -1;
  private long lastLine;

  /**
   * A progress printer to {@code out}.
   *
   * @param terminal redraw one bar in place (true) or print lines (false)
   * @param nanoTime the monotonic clock ({@code System::nanoTime})
   */
  public ReplayProgress(PrintStream out, boolean terminal, LongSupplier nanoTime) {
    this.out = out;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
    this.lastLine = nanoTime.getAsLong();
  }

  @Override
  public void update(int sent, int total, Instant eventTime) {
    int percent = total == 0 ? 100 : (int) (100L * sent / total);
    if (terminal) {
      int filled = percent * 30 / 100;
      out.printf(
          "\rreplay: [%s%s] %3d%%  %d/%d lines, event time %s",
          "#".repeat(filled), " ".repeat(30 - filled), percent, sent, total, eventTime);
    } else {
      long now = nanoTime.getAsLong();
      if (percent / 10 > lastTenth || now - lastLine >= QUIET.toNanos()) {
        lastTenth = Math.max(lastTenth, percent / 10);
        lastLine = now;
        out.printf("replay: %d%% (%d/%d lines, event time %s)%n", percent, sent, total, eventTime);
      }
    }
    out.flush();
  }

  /** Ends the bar's line on a terminal and prints {@code replay: done}. */
  public void done() {
    if (terminal) {
      out.println();
    }
    out.println("replay: done");
  }
}
