package io.oxbow.serving.query;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

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
  private final long waitNanos;
  private final Semaphore free;

  /** A gate letting {@code places} queries through at once, each waiting up to {@code wait}. */
  public QueryGate(int places, Duration wait) {
    this.places = places;
    this.waitNanos = wait.toNanos();
    this.free = new Semaphore(places, true);
  }

  /**
   * Takes a place for one query; release it with {@link Place#close()}.
   *
   * @throws Busy when every place stayed taken for the whole wait (or the thread was interrupted)
   */
  public Place enter() {
    try {
      if (!free.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
        throw new Busy(places);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
