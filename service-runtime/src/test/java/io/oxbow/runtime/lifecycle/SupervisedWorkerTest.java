package io.oxbow.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SupervisedWorkerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A worker that throws at once, or works until closed. */
  private static class Flaky implements Runnable, AutoCloseable {
    private final boolean fail;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean closed;

    Flaky(boolean fail) {
      this.fail = fail;
    }

    @Override
    public void run() {
      if (fail) {
        throw new IllegalStateException("the dead-letter topic is unreachable");
      }
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      closed = true;
      stop.countDown();
    }
  }

  @Test
  void shouldFailReadinessAndRestartAWorkerThatThrows() throws Exception {
    AtomicInteger made = new AtomicInteger();
    List<Flaky> instances = new CopyOnWriteArrayList<>();
    SupervisedWorker<Flaky> worker =
        SupervisedWorker.start(
            "flaky",
            () -> {
              Flaky f = new Flaky(made.getAndIncrement() == 0);
              instances.add(f);
              return f;
            },
            Duration.ofMillis(200),
            Duration.ofSeconds(2));
    try {
      await().atMost(TIMEOUT).until(() -> worker.restarts() == 1 && worker.current().isPresent());
      // restarted, but not yet proven: still not ready, naming the failure
      assertThatThrownBy(() -> worker.readiness().check(Duration.ofSeconds(1)))
          .hasMessageContaining("flaky failed")
          .hasMessageContaining("dead-letter topic is unreachable");
      assertThat(instances.get(0).closed).isTrue();
      // ready again once the new instance has run for the maximum backoff
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  assertThatCode(() -> worker.readiness().check(Duration.ofSeconds(1)))
                      .doesNotThrowAnyException());
      assertThat(made.get()).isEqualTo(2);
    } finally {
      worker.close();
    }
    assertThat(instances.get(1).closed).isTrue();
    assertThatThrownBy(() -> worker.readiness().check(Duration.ofSeconds(1)))
        .hasMessageContaining("stopped");
  }

  @Test
  void shouldBackOffLongerAfterEachConsecutiveFailure() throws Exception {
    List<Long> starts = new CopyOnWriteArrayList<>();
    SupervisedWorker<Flaky> worker =
        SupervisedWorker.start(
            "always-failing",
            () -> {
              starts.add(System.nanoTime());
              return new Flaky(true);
            },
            Duration.ofMillis(100),
            Duration.ofSeconds(30));
    try {
      await().atMost(TIMEOUT).until(() -> starts.size() >= 4);
      // 100 ms, 200 ms, 400 ms between the starts
      assertThat(starts.get(3) - starts.get(2)).isGreaterThan(starts.get(1) - starts.get(0));
      assertThat(Duration.ofNanos(starts.get(3) - starts.get(2)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(400));
      assertThatThrownBy(() -> worker.readiness().check(Duration.ofSeconds(1)))
          .hasMessageContaining("always-failing failed");
    } finally {
      worker.close();
    }
  }

  @Test
  void shouldTreatAWorkerThatReturnsByItselfAsFailed() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    SupervisedWorker<Flaky> worker =
        SupervisedWorker.start(
            "returning",
            () ->
                new Flaky(false) {
                  @Override
                  public void run() {
                    runs.incrementAndGet();
                  }
                },
            Duration.ofMillis(50),
            Duration.ofSeconds(5));
    try {
      await().atMost(TIMEOUT).until(() -> runs.get() >= 2);
      assertThatThrownBy(() -> worker.readiness().check(Duration.ofSeconds(1)))
          .hasMessageContaining("returned without being asked to stop");
    } finally {
      worker.close();
    }
  }
}
