package io.oxbow.stream.internals;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The one place where Oxbow uses Kafka Streams internals, and so <b>the one place to revisit on
 * every Kafka upgrade</b>: nothing else may import {@code org.apache.kafka.streams.*.internals} (a
 * test scans the sources). It was verified with Kafka Streams {@value
 * #VERIFIED_KAFKA_STREAMS_VERSION}; {@code StreamsInternalsTest} pins the behaviour below and fails
 * when the version in use is another one, until it is verified again.
 *
 * <p>What it gives: a <b>commit hook</b> for a processor that holds output in memory (the speed
 * views' partial fold). Before every commit of its task, in the same transaction as the input
 * offsets that commit, the hook runs the processor's {@code send} action with the processor as
 * Kafka Streams' current node, so {@code send} may forward; when the task's state is thrown away
 * instead (a dirty close after an aborted transaction), it runs {@code discard}.
 *
 * <p>Why internals: Kafka Streams offers processors no public hook before a commit. {@link
 * StateStore#flush()} and {@link StateStore#commit(Map)} are public and run at a commit, but a
 * processor may forward only from {@code process} or a punctuation, and a punctuation does not run
 * at the commit (a record folded after the last punctuation would commit its offset without its
 * output). The record caches of the DSL's aggregations have the hook this needs: before every
 * commit (and before a task is suspended or closed cleanly) the task calls {@code flushCache()} on
 * every store that implements the internal {@code CachedStateStore}, and the caches forward their
 * results from there. The hook's store takes part in that step, and sets the current node (and a
 * record context) through the internal {@code InternalProcessorContext} while {@code send} runs.
 *
 * <p>What to check on an upgrade: that {@code flushCache()} is still called on every {@code
 * CachedStateStore} of a task before its offsets are committed and on a clean close, and {@code
 * clearCache()} or {@code close()} when its state is discarded; that {@code setCurrentNode} and
 * {@code setRecordContext} still make {@code forward} outside {@code process} legal. Then run
 * {@code StreamsInternalsTest}, {@code SpeedViewTest} and {@code StreamCrashIT} (kill -9
 * mid-replay, exactly-once counts), and update {@link #VERIFIED_KAFKA_STREAMS_VERSION}.
 */
public final class StreamsInternals {
  /** The Kafka Streams version this class was verified with. */
  public static final String VERIFIED_KAFKA_STREAMS_VERSION = "4.4.0";

  private StreamsInternals() {}

  /**
   * A builder of the store behind a commit hook: in memory, no contents of its own, no changelog,
   * no cache. Add it to the topology and connect it to the processor that binds it.
   *
   * @param name the store's name (it appears in the topology's description)
   */
  public static StoreBuilder<? extends StateStore> commitHookStore(String name) {
    return new HookStoreBuilder(name);
  }

  /**
   * Binds the commit hook store {@code storeName} to the processor whose {@code init} receives
   * {@code context}; call it from that {@code init}. A later bind (after the task was re-created)
   * replaces the actions.
   *
   * @param context the processor's context, as given to its {@code init}
   * @param storeName a store built by {@link #commitHookStore(String)} and connected to the
   *     processor
   * @param lastInput the metadata (topic, partition, offset) of the last input record the pending
   *     output covers, or null when none is known; what {@code send} forwards carries it as its
   *     record context (the dead-letter handlers name it if a downstream step fails)
   * @param send runs on the stream thread before each commit of the task, with the processor as the
   *     current node: it may {@code forward}
   * @param discard runs when the pending output must be dropped because its input will be processed
   *     again
   */
  public static void bindCommitHook(
      ProcessorContext<?, ?> context,
      String storeName,
      Supplier<RecordMetadata> lastInput,
      Runnable send,
      Runnable discard) {
    InternalProcessorContext<?, ?> internal = (InternalProcessorContext<?, ?>) context;
    ProcessorNode<?, ?, ?, ?> node = internal.currentNode();
    HookStore store = context.getStateStore(storeName);
    store.bind(() -> sendAsNode(internal, node, lastInput.get(), send), discard);
  }

  private static void sendAsNode(
      InternalProcessorContext<?, ?> context,
      ProcessorNode<?, ?, ?, ?> node,
      RecordMetadata lastInput,
      Runnable send) {
    ProcessorNode<?, ?, ?, ?> previousNode = context.currentNode();
    ProcessorRecordContext previousRecord = context.recordContext();
    context.setCurrentNode(node);
    context.setRecordContext(
        lastInput == null
            ? new ProcessorRecordContext(0L, -1L, -1, null, new RecordHeaders())
            : new ProcessorRecordContext(
                0L,
                lastInput.offset(),
                lastInput.partition(),
                lastInput.topic(),
                new RecordHeaders()));
    try {
      send.run();
    } finally {
      context.setCurrentNode(previousNode);
      context.setRecordContext(previousRecord);
    }
  }

  /**
   * The store of a commit hook: {@code flushCache()} (before each commit) runs the send action,
   * {@code clearCache()} and {@code close()} the discard action. Not persistent and not logged: it
   * holds nothing, so there is nothing to restore.
   */
  private static final class HookStore implements StateStore, CachedStateStore<Object, Object> {
    private static final Runnable NOTHING = () -> {};

    private final String name;
    private Runnable onCommit = NOTHING;
    private Runnable onDiscard = NOTHING;
    private boolean open;

    private HookStore(String name) {
      this.name = name;
    }

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
    public boolean setFlushListener(
        CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
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
  }

  private record HookStoreBuilder(String name) implements StoreBuilder<HookStore> {
    @Override
    public StoreBuilder<HookStore> withCachingEnabled() {
      return this;
    }

    @Override
    public StoreBuilder<HookStore> withCachingDisabled() {
      return this;
    }

    @Override
    public StoreBuilder<HookStore> withLoggingEnabled(Map<String, String> config) {
      throw new UnsupportedOperationException(
          "store '" + name + "' holds nothing across a commit and has no changelog");
    }

    @Override
    public StoreBuilder<HookStore> withLoggingDisabled() {
      return this;
    }

    @Override
    public HookStore build() {
      return new HookStore(name);
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
