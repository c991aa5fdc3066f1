package io.oxbow.runtime.http;

import java.time.Duration;

/**
 * One named condition a service needs to do its work (a broker reachable, a store loaded). {@code
 * GET /health/ready} of an {@link HttpService} runs every check; the service is ready when all of
 * them return normally within their timeout.
 */
@FunctionalInterface
public interface ReadinessCheck {
  /**
   * Returns normally when ready.
   *
   * @param timeout how long the check may take; a check that needs longer is treated as failed
   * @throws Exception with a message saying why the service is not ready
   */
  void check(Duration timeout) throws Exception;
}
