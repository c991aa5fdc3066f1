package io.oxbow.runtime.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a service command in the foreground until the JVM is asked to stop (Ctrl-C, SIGTERM), then
 * closes the service from the JVM's shutdown hook and lets the command return once it is closed.
 *
 * <pre>{@code
 * ServingApp app = ServingApp.start(config);
 * Foreground foreground = Foreground.closeOnShutdown("oxbow-serve", app);
 * // print the service's URL for the user
 * return foreground.awaitStop();
 * }</pre>
 *
 * <p>Install it as soon as the service exists, before waiting for it to be ready, so that a stop
 * during start-up still closes it.
 */
public final class Foreground {
  private static final Logger log = LoggerFactory.getLogger(Foreground.class);

  private final CountDownLatch stopped = new CountDownLatch(1);

  private Foreground() {}

  /**
   * Closes {@code service} when the JVM shuts down, on a thread named {@code name + "-shutdown"}. A
   * failure to close is printed to standard error; the command still returns.
   */
  public static Foreground closeOnShutdown(String name, AutoCloseable service) {
    Foreground foreground = new Foreground();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.close();
                  } catch (Exception e) {
                    log.warn("{}: closing failed", name, e);
                  } finally {
                    foreground.stopped.countDown();
                  }
                },
                name + "-shutdown"));
    return foreground;
  }

  /** Flushes standard output, then blocks until the service is closed; returns exit code 0. */
  public int awaitStop() throws InterruptedException {
    System.out.flush();
    stopped.await();
    return 0;
  }

  /**
   * Flushes standard output, then waits up to {@code timeout} for the service to be closed: true
   * once it is, false when the time ran out first (for a command that also watches its service).
   */
  public boolean awaitStop(Duration timeout) throws InterruptedException {
    System.out.flush();
    return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }
}
