package io.oxbow.ingest.agent;

import io.oxbow.ingest.client.IngestClient;
import io.oxbow.ingest.client.RetryPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-tailing agent: one {@link Tailer} thread per path, sharing a durable {@link AgentState}
 * and one {@link IngestClient} that retries until the app answers or the agent stops. Lines reach
 * the ingest app exactly once, in order per file, across restarts, crashes and log rotation.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final List<Tailer> tailers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  private Agent(AgentOptions options) throws IOException {
    AgentState state = AgentState.load(options.stateFile());
    IngestClient sender =
        new IngestClient(
            options.to(),
            RetryPolicy.defaults().withMaxBackoff(options.maxBackoff()).withMaxAttempts(0));
    for (Path file : options.files()) {
      String source =
          options.source() != null
              ? options.source()
              : file.toAbsolutePath().normalize().toString();
      tailers.add(new Tailer(file, source, options, state, sender));
    }
  }

  /** Loads the state and starts following every file. */
  public static Agent start(AgentOptions options) throws IOException {
    Agent agent = new Agent(options);
    for (int i = 0; i < agent.tailers.size(); i++) {
      Thread thread =
          new Thread(agent.tailers.get(i), "agent-" + options.files().get(i).getFileName());
      thread.start();
      agent.threads.add(thread);
    }
    log.info(
        "agent: following {} file(s), sending to {}",
        options.files().size(),
        options.to().baseUrls());
    return agent;
  }

  /** The first failure of a tailer that stopped on its own (a batch the app refused), if any. */
  public Optional<Throwable> failure() {
    return tailers.stream().map(Tailer::failure).filter(f -> f != null).findFirst();
  }

  /** Whether every tailer is still running. */
  public boolean running() {
    return threads.stream().allMatch(Thread::isAlive);
  }

  /** Stops after the batches in flight (whose positions stay pending if unacknowledged). */
  @Override
  public void close() {
    tailers.forEach(Tailer::stop);
    for (Thread thread : threads) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
