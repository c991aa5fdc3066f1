package io.oxbow.runtime.http;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs the named readiness checks of an {@link HttpService} for {@code GET /health/ready}. */
final class Readiness {
  private final Map<String, ReadinessCheck> checks;
  private final Duration timeout;
  private final ExecutorService executor;

  Readiness(Map<String, ReadinessCheck> checks, Duration timeout) {
    this.checks = Map.copyOf(checks);
    this.timeout = timeout;
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "readiness-check");
              t.setDaemon(true);
              return t;
            });
  }

  void handle(Context ctx) {
    Map<String, CompletableFuture<Void>> running = new LinkedHashMap<>();
    checks.forEach(
        (name, check) ->
            running.put(
                name,
                CompletableFuture.runAsync(
                    () -> {
                      try {
                        check.check(timeout);
                      } catch (Exception e) {
                        throw new CheckFailed(e);
                      }
                    },
                    executor)));
    long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(200);
    Map<String, Object> results = new LinkedHashMap<>();
    boolean up = true;
    for (var entry : running.entrySet()) {
      String error = outcome(entry.getValue(), deadline);
      if (error == null) {
        results.put(entry.getKey(), Map.of("status", "UP"));
      } else {
        up = false;
        results.put(entry.getKey(), Map.of("status", "DOWN", "error", error));
      }
    }
    ctx.status(up ? 200 : 503).json(Map.of("status", up ? "UP" : "DOWN", "checks", results));
  }

  private static String outcome(CompletableFuture<Void> future, long deadline) {
    try {
      future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return null;
    } catch (TimeoutException e) {
      future.cancel(true);
      return "no answer within the readiness timeout";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CheckFailed f ? f.getCause() : e.getCause();
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

  private static final class CheckFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CheckFailed(Exception cause) {
      super(cause);
    }
  }
}
