package io.oxbow.runtime.lifecycle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a service's parts in reverse order of registration, within a total bound (default 10 s),
 * once: on {@link #close()} or, after {@link #installShutdownHook()}, when the JVM stops (Ctrl-C,
 * SIGTERM). A part that fails to close or overruns its share is logged and skipped, so one stuck
 * part never keeps the others open.
 *
 * <pre>{@code
 * Lifecycle lifecycle = Lifecycle.create("ingest").installShutdownHook();
 * Producer<byte[], byte[]> producer = lifecycle.register(new KafkaProducer<>(props));
 * HttpService http = lifecycle.register(HttpService.builder("ingest").build().start());
 * }</pre>
 */
public final class Lifecycle implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private final String name;
  private final Duration bound;
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private boolean closed;

  private Lifecycle(String name, Duration bound) {
    this.name = name;
    this.bound = bound;
  }

  /** A lifecycle for the service {@code name} that closes within 10 s. */
  public static Lifecycle create(String name) {
    return create(name, Duration.ofSeconds(10));
  }

  /** A lifecycle that closes everything within {@code bound}. */
  public static Lifecycle create(String name, Duration bound) {
    return new Lifecycle(Objects.requireNonNull(name), Objects.requireNonNull(bound));
  }

  /** Registers a part; it will be closed before every part registered earlier. */
  public synchronized <T extends AutoCloseable> T register(T part) {
    if (closed) {
      throw new IllegalStateException(name + " is already closed");
    }
    parts.push(Objects.requireNonNull(part));
    return part;
  }

  /** Closes everything when the JVM shuts down. */
  public Lifecycle installShutdownHook() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, name + "-shutdown"));
    return this;
  }

  /**
   * Blocks until {@link #close()} has finished (for a command's main thread, while the shutdown
   * hook closes the service).
   */
  public void awaitClosed() throws InterruptedException {
    done.await();
  }

  /** Closes the parts, newest first, within the bound; later calls do nothing. */
  @Override
  public void close() {
    Deque<AutoCloseable> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayDeque<>(parts);
      parts.clear();
    }
    long deadline = System.nanoTime() + bound.toNanos();
    for (AutoCloseable part : toClose) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        log.warn("{}: shutdown bound {} reached; {} not closed", name, bound, part);
        continue;
      }
      closeWithin(part, left);
    }
    log.info("{}: stopped", name);
    done.countDown();
  }

  private void closeWithin(AutoCloseable part, long nanos) {
    Thread closer =
        new Thread(
            () -> {
              try {
                part.close();
              } catch (Exception e) {
                log.warn("{}: closing {} failed: {}", name, part, e.toString());
              }
            },
            name + "-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(Math.max(1, nanos / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closer.isAlive()) {
      log.warn("{}: {} did not close in time", name, part);
    }
  }
}
