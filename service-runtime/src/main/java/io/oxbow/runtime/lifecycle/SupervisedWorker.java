package io.oxbow.runtime.lifecycle;

import io.oxbow.runtime.http.ReadinessCheck;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background worker (a consumer loop, a tailer) that never dies silently: it runs on its own
 * thread, and when it throws, or returns without having been asked to stop, it is logged at ERROR,
 * its instance closed, and a fresh instance from the factory started after a backoff that doubles
 * per consecutive failure from {@code minBackoff} (default 1 s) up to {@code maxBackoff} (default
 * 60 s). Its {@link #readiness()} check fails, naming the failure, from the first failure until a
 * restarted instance has run for {@code maxBackoff} without failing, so {@code /health/ready} says
 * the service is not doing its work.
 *
 * <pre>{@code
 * SupervisedWorker<Lander> landing =
 *     lifecycle.register(SupervisedWorker.start("batch-lander", () -> new Lander(...)));
 * HttpService.builder("batch").readiness("landing", landing.readiness());
 * landing.current().ifPresent(l -> l.owns(topic, 0));
 * }</pre>
 *
 * @param <W> the worker: {@link Runnable#run()} does the work until {@link AutoCloseable#close()}
 *     is called from another thread
 */
public final class SupervisedWorker<W extends Runnable & AutoCloseable> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SupervisedWorker.class);

  private final String name;
  private final Supplier<W> factory;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopped = lock.newCondition();
  private final Thread thread;
  private volatile W current;
  private volatile boolean closing;
  private volatile String lastFailure;
  private volatile long lastFailureNanos;
  private volatile int restarts;

  private SupervisedWorker(
      String name, Supplier<W> factory, Duration minBackoff, Duration maxBackoff) {
    this.name = Objects.requireNonNull(name, "name");
    this.factory = Objects.requireNonNull(factory, "factory");
    if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("backoff must satisfy 0 < min <= max");
    }
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.thread = new Thread(this::supervise, name);
  }

  /** Starts a worker made by {@code factory}, restarting it with 1 s to 60 s backoff. */
  public static <W extends Runnable & AutoCloseable> SupervisedWorker<W> start(
      String name, Supplier<W> factory) {
    return start(name, factory, Duration.ofSeconds(1), Duration.ofSeconds(60));
  }

  /** Starts a worker made by {@code factory} with the given backoff bounds. */
  public static <W extends Runnable & AutoCloseable> SupervisedWorker<W> start(
      String name, Supplier<W> factory, Duration minBackoff, Duration maxBackoff) {
    SupervisedWorker<W> worker = new SupervisedWorker<>(name, factory, minBackoff, maxBackoff);
    worker.thread.start();
    return worker;
  }

  /** The instance running now; empty between a failure and the restart. */
  public java.util.Optional<W> current() {
    return java.util.Optional.ofNullable(current);
  }

  /** How many times the worker was restarted after a failure. */
  public int restarts() {
    return restarts;
  }

  /**
   * A readiness check that fails from a failure of the worker until a restarted instance has run
   * for the maximum backoff without failing, and once the worker is closed.
   */
  public ReadinessCheck readiness() {
    return timeout -> {
      if (closing || !thread.isAlive()) {
        throw new IllegalStateException(name + " is stopped");
      }
      String failure = lastFailure;
      if (failure != null && System.nanoTime() - lastFailureNanos < maxBackoff.toNanos()) {
        throw new IllegalStateException(
            name
                + " failed and is "
                + (current == null ? "restarting" : "recovering")
                + ": "
                + failure);
      }
    };
  }

  private void supervise() {
    int consecutive = 0;
    while (!closing) {
      long began = System.nanoTime();
      String failure = runOnce();
      if (closing) {
        return;
      }
      if (System.nanoTime() - began >= maxBackoff.toNanos()) {
        consecutive = 0; // it ran well for a while: start the backoff over
      }
      lastFailure = failure;
      lastFailureNanos = System.nanoTime();
      Duration backoff = backoff(consecutive++);
      log.error("{} stopped unexpectedly ({}); restarting in {}", name, failure, backoff);
      if (!pause(backoff)) {
        return;
      }
      restarts++;
    }
  }

  /** Runs one instance to its end; returns why it ended. */
  private String runOnce() {
    W worker;
    try {
      worker = factory.get();
    } catch (RuntimeException e) {
      log.error("{}: cannot create the worker", name, e);
      return e.toString();
    }
    current = worker;
    String failure = "it returned without being asked to stop";
    try {
      if (!closing) {
        worker.run();
      }
    } catch (RuntimeException | Error e) {
      // an Error too (OutOfMemoryError included): the worker is replaced, never left dead
      log.error("{} failed", name, e);
      failure = e.toString();
    } finally {
      current = null;
      closeQuietly(worker);
    }
    return failure;
  }

  private Duration backoff(int consecutiveFailures) {
    long millis = minBackoff.toMillis() << Math.min(consecutiveFailures, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }

  /** Waits out {@code backoff}; false when closed meanwhile. */
  private boolean pause(Duration backoff) {
    lock.lock();
    try {
      long left = backoff.toNanos();
      while (!closing && left > 0) {
        left = stopped.awaitNanos(left);
      }
      return !closing;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void closeQuietly(W worker) {
    try {
      worker.close();
    } catch (Exception e) {
      log.warn("{}: closing the worker failed: {}", name, e.toString());
    }
  }

  /** Stops the worker (closes the running instance) and waits up to 15 s for its thread. */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    lock.lock();
    try {
      stopped.signalAll();
    } finally {
      lock.unlock();
    }
    W running = current;
    if (running != null) {
      closeQuietly(running);
    }
    thread.join(TimeUnit.SECONDS.toMillis(15));
  }
}
