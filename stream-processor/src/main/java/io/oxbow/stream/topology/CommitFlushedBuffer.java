package io.oxbow.stream.topology;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * An in-memory state store with no contents of its own: it tells its processor when the task is
 * about to commit, so the processor can send what it holds in memory before the commit, in the same
 * transaction as the input offsets it covers.
 *
 * <p>Kafka Streams offers processors no public hook before a commit. Its record caches get one:
 * before every commit (and before a task is suspended or closed cleanly) the task flushes every
 * store that implements the internal {@code CachedStateStore}, and the DSL's aggregations send
 * their cached results from that flush. This store takes part in the same step: {@link
 * #flushCache()} runs the processor's {@code onCommit} action. When the task's state is thrown away
 * instead (a dirty close after an aborted transaction, a recycled task), {@link #close()} and
 * {@link #clearCache()} run {@code onDiscard}, because the input behind that pending output will be
 * processed again. {@code SpeedViewTest} (a partial reaches the speed view only through this hook)
 * and {@code StreamCrashIT} (kill -9 mid-replay, exactly-once counts) pin this behaviour, so a
 * Kafka Streams upgrade that changes it fails the build instead of losing data.
 *
 * <p>Not persistent and not logged: it is empty after every commit, so there is nothing to restore.
 */
final class CommitFlushedBuffer implements StateStore, CachedStateStore<Object, Object> {
  private static final Runnable NOTHING = () -> {};

  private final String name;
  private Runnable onCommit = NOTHING;
  private Runnable onDiscard = NOTHING;
  private boolean open;

  private CommitFlushedBuffer(String name) {
    this.name = name;
  }

  /** A builder of buffers named {@code name} (no changelog, no cache). */
  static StoreBuilder<CommitFlushedBuffer> builder(String name) {
    return new Builder(name);
  }

  /**
   * Sets the actions: {@code commit} runs on the stream thread before each commit of the task, in
   * the same transaction; {@code discard} runs when pending output must be dropped.
   */
  void bind(Runnable commit, Runnable discard) {
    this.onCommit = commit;
    this.onDiscard = discard;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    context.register(root, (key, value) -> {});
    open = true;
  }

  @Override
  public void flushCache() {
    onCommit.run();
  }

  @Override
  public void clearCache() {
    onDiscard.run();
  }

  @Override
  public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean oldValues) {
    return false;
  }

  @Override
  public void close() {
    onDiscard.run();
    onCommit = NOTHING;
    onDiscard = NOTHING;
    open = false;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  private record Builder(String name) implements StoreBuilder<CommitFlushedBuffer> {
    @Override
    public StoreBuilder<CommitFlushedBuffer> withCachingEnabled() {
      return this;
    }

    @Override
    public StoreBuilder<CommitFlushedBuffer> withCachingDisabled() {
      return this;
    }

    @Override
    public StoreBuilder<CommitFlushedBuffer> withLoggingEnabled(Map<String, String> config) {
      throw new UnsupportedOperationException(
          "store '" + name + "' is emptied at every commit and has no changelog");
    }

    @Override
    public StoreBuilder<CommitFlushedBuffer> withLoggingDisabled() {
      return this;
    }

    @Override
    public CommitFlushedBuffer build() {
      return new CommitFlushedBuffer(name);
    }

    @Override
    public Map<String, String> logConfig() {
      return Map.of();
    }

    @Override
    public boolean loggingEnabled() {
      return false;
    }
  }
}
