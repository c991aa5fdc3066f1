package io.oxbow.runtime.http;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the named readiness checks of an {@link HttpService} for {@code GET /health/ready}.
 *
 * <p>A flood of probes costs at most one run of the checks per {@code cacheTime}: a result younger
 * than that is answered again, and probes arriving while a run is in progress wait for that run
 * rather than starting another. The checks run on a fixed pool of one thread per check; a check
 * that hangs past its timeout is interrupted, and holds at most one thread if it ignores that.
 */
final class Readiness {
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Map<String, ReadinessCheck> checks;
  private final Duration timeout;
  private final long cacheNanos;
  private final ExecutorService executor;
  private Result last;
  private CompletableFuture<Result> running;

  Readiness(Map<String, ReadinessCheck> checks, Duration timeout, Duration cacheTime) {
    this.checks = Map.copyOf(checks);
    this.timeout = timeout;
    this.cacheNanos = cacheTime.toNanos();
    this.executor =
        Executors.newFixedThreadPool(
            Math.max(1, checks.size()),
            r -> {
              Thread t = new Thread(r, "readiness-check");
              t.setDaemon(true);
              return t;
            });
  }

  void handle(Context ctx) throws InterruptedException {
    Result result = current();
    ctx.status(result.up() ? 200 : 503)
        .json(Map.of("status", result.up() ? "UP" : "DOWN", "checks", result.checks()));
  }

  /** The cached result, or the result of the run in progress, or of a new run. */
  Result current() throws InterruptedException {
    CompletableFuture<Result> run;
    boolean leader = false;
    synchronized (this) {
      if (last != null && System.nanoTime() - last.at() < cacheNanos) {
        return last;
      }
      if (running == null) {
        running = new CompletableFuture<>();
        leader = true;
      }
      run = running;
    }
    if (leader) {
      Result result = runChecks();
      run.complete(result);
      return result;
    }
    try {
      return run.get(timeout.toNanos() + 2 * GRACE_NANOS, TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return new Result(false, Map.of("readiness", down("the checks did not complete")), 0);
    }
  }

  private Result runChecks() {
    Result result;
    try {
      result = evaluate();
    } catch (RuntimeException e) {
      result = new Result(false, Map.of("readiness", down(e.toString())), System.nanoTime());
    }
    synchronized (this) {
      last = result;
      running = null;
    }
    return result;
  }

  private Result evaluate() {
    Map<String, Future<?>> started = new LinkedHashMap<>();
    checks.forEach(
        (name, check) ->
            started.put(
                name,
                executor.submit(
                    () -> {
                      check.check(timeout);
                      return null;
                    })));
    long deadline = System.nanoTime() + timeout.toNanos() + GRACE_NANOS;
    Map<String, Object> results = new LinkedHashMap<>();
    boolean up = true;
    for (var entry : started.entrySet()) {
      String error = outcome(entry.getValue(), deadline);
      if (error == null) {
        results.put(entry.getKey(), Map.of("status", "UP"));
      } else {
        up = false;
        results.put(entry.getKey(), down(error));
      }
    }
    return new Result(up, results, System.nanoTime());
  }

  private static Map<String, String> down(String error) {
    return Map.of("status", "DOWN", "error", error);
  }

  private static String outcome(Future<?> future, long deadline) {
    try {
      future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return null;
    } catch (TimeoutException e) {
      future.cancel(true);
      return "no answer within the readiness timeout";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof ExecutionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String message = cause.getMessage();
      return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  void close() {
    executor.shutdownNow();
  }

  /** One run's outcome: all up, each check's status, and when it was taken (nanoTime). */
  record Result(boolean up, Map<String, Object> checks, long at) {}
}
