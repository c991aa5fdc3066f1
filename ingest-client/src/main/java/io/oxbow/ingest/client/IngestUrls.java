package io.oxbow.ingest.client;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance a client sends to, among several ingest URLs: sticky (every request goes to the
 * current URL while it answers) and moved to the next URL, round the list, when a request to it
 * failed in a way another instance may not ({@link RetryPolicy#failsOver(int)}, or no answer at
 * all). Thread-safe: when several senders see the same URL fail at once, the client moves on once,
 * not once per sender.
 */
public final class IngestUrls {
  private final List<URI> urls;
  private final AtomicInteger current = new AtomicInteger();

  /** The given URLs (at least one), starting with the first. */
  public IngestUrls(List<URI> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one ingest URL is needed");
    }
    this.urls = List.copyOf(urls);
  }

  /** How many URLs there are. */
  public int size() {
    return urls.size();
  }

  /** The index of the URL requests go to now. */
  public int current() {
    return current.get();
  }

  /** The URL at {@code index}. */
  public URI url(int index) {
    return urls.get(index);
  }

  /**
   * Moves on from the URL at {@code failed} to the next one, unless another sender already did.
   *
   * @return the index requests go to now
   */
  public int failedOver(int failed) {
    int next = (failed + 1) % urls.size();
    current.compareAndSet(failed, next);
    return current.get();
  }
}
