package io.oxbow.serving.query;

import java.util.concurrent.Semaphore;

/**
 * Bounds the queries computed and written at once ({@link QueryLimits#maxConcurrent()}): a query
 * arriving when all places are taken is refused at once with {@link Busy} (the API answers 503 with
 * {@code Retry-After}) instead of queueing, so a burst of heavy queries can neither pile up memory
 * nor starve the other endpoints. Thread-safe.
 */
public final class QueryGate {
  /** Seconds a refused client is asked to wait before it retries. */
  public static final int RETRY_AFTER_SECONDS = 1;

  private final int places;
  private final Semaphore free;

  /** A gate letting {@code places} queries through at once. */
  public QueryGate(int places) {
    this.places = places;
    this.free = new Semaphore(places);
  }

  /**
   * Takes a place for one query; release it with {@link Place#close()}.
   *
   * @throws Busy when every place is taken
   */
  public Place enter() {
    if (!free.tryAcquire()) {
      throw new Busy(places);
    }
    return free::release;
  }

  /** Places taken now. */
  public int taken() {
    return places - free.availablePermits();
  }

  /** A place held by one query. */
  @FunctionalInterface
  public interface Place extends AutoCloseable {
    /** Gives the place back. */
    @Override
    void close();
  }

  /** Every place was taken. */
  public static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Busy(int places) {
      super(
          "query: "
              + places
              + " queries are being answered, the most at once; retry after "
              + RETRY_AFTER_SECONDS
              + " s",
          null,
          false,
          false);
    }
  }
}
