package io.oxbow.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Kills of the ingest app at {@link KillLoopIT#OTHER_KILLS} drawn log requests: SIGKILL a few
 * milliseconds after the request starts (so it is often in flight), restart at once; the following
 * requests meet a refused connection until the app serves again.
 */
final class IngestKills {
  private final RestartableService ingest;
  private final Random random;
  private final List<Integer> at = new ArrayList<>();
  private final List<Future<?>> restarts = new ArrayList<>();
  private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();

  IngestKills(RestartableService ingest, Random seeds, int requests) {
    this.ingest = ingest;
    this.random = new Random(seeds.nextLong()); // its own: the feeder runs beside the kill loop
    while (at.size() < KillLoopIT.OTHER_KILLS) {
      int request = 5 + random.nextInt(requests - 10);
      if (!at.contains(request)) {
        at.add(request);
      }
    }
  }

  void maybeKillWhileSending(int request) {
    if (at.contains(request)) {
      restarts.add(
          killer.schedule(
              () -> {
                ingest.killAndRestart();
                ingest.awaitReady();
                return null;
              },
              random.nextInt(20),
              TimeUnit.MILLISECONDS));
    }
  }

  void awaitRestarts() throws Exception {
    for (Future<?> restart : restarts) {
      restart.get(5, TimeUnit.MINUTES);
    }
    killer.shutdown();
  }
}
