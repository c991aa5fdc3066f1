package io.oxbow.ingest.agent;

import io.oxbow.ingest.client.IngestTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the agent tails and how it sends.
 *
 * @param files the log paths to follow (each is the source of its lines unless {@code source} is
 *     set)
 * @param to the ingest app: the base URLs of its instances (e.g. {@code http://127.0.0.1:8080}; the
 *     agent sends to one and fails over to the next, see {@link
 *     io.oxbow.ingest.client.IngestClient}), API key (permission {@code logs}, or null when the app
 *     needs none) and the certificate authorities to trust
 * @param stateFile where positions are kept (default {@code oxbow-agent.state})
 * @param source the X-Oxbow-Source of every line, or null to use each file's path
 * @param batchLines most lines per request (default 500)
 * @param batchBytes most bytes per request (default 1 MiB)
 * @param linger how long a partial batch waits for more lines (default 200 ms)
 * @param pollInterval how often an idle file is checked for new lines (default 100 ms)
 * @param maxBackoff the longest wait between retries (default 10 s, at least 100 ms); the rest of
 *     the retry policy is {@link io.oxbow.ingest.client.RetryPolicy}'s, without a bound on attempts
 */
public record AgentOptions(
    List<Path> files,
    IngestTarget to,
    Path stateFile,
    String source,
    int batchLines,
    int batchBytes,
    Duration linger,
    Duration pollInterval,
    Duration maxBackoff) {

  /** Checks the values. */
  public AgentOptions {
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("at least one --file is needed");
    }
    if (batchLines < 1 || batchBytes < 1024) {
      throw new IllegalArgumentException("batch limits must be at least 1 line and 1 KiB");
    }
    if (maxBackoff.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("--max-backoff-ms must be at least 100");
    }
  }
}
