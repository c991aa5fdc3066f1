package io.oxbow.serving.query;

import java.util.function.LongSupplier;

/**
 * The work one query may still do: a deadline ({@link QueryLimits#timeout()} from its start) and
 * the stored groups it may read ({@link QueryLimits#maxGroups()}). The engine charges it as it
 * reads each slice of a layer, so a query past either bound stops before it reads or rolls up more.
 * One per query, used by the thread running it.
 */
final class QueryBudget {
  private final QueryLimits limits;
  private final LongSupplier nanoClock;
  private final long deadline;
  private long groups;

  /**
   * A budget starting now.
   *
   * @param limits the bounds
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime})
   */
  QueryBudget(QueryLimits limits, LongSupplier nanoClock) {
    this.limits = limits;
    this.nanoClock = nanoClock;
    this.deadline = nanoClock.getAsLong() + limits.timeout().toNanos();
  }

  /**
   * Charges {@code read} stored groups, then checks the time.
   *
   * @throws QueryException 400 {@code to} past the most groups, 503 past the deadline
   */
  void charge(int read) {
    groups += read;
    if (groups > limits.maxGroups()) {
      throw QueryException.badParameter(
          "to",
          "the range holds more than "
              + limits.maxGroups()
              + " stored groups, the most one query may read; narrow from/to or add filters");
    }
    checkTime();
  }

  /**
   * Checks the deadline.
   *
   * @throws QueryException 503 once the query has run longer than its timeout
   */
  void checkTime() {
    if (nanoClock.getAsLong() - deadline > 0) {
      throw QueryException.timedOut(limits.timeout());
    }
  }

  /** Stored groups charged so far. */
  long groups() {
    return groups;
  }
}
