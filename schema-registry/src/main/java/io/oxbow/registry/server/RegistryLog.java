package io.oxbow.registry.server;

import java.util.List;

/**
 * The registry's storage: an append-only log of {@code _schemas} records and the {@link
 * RegistryState} materialized from it. Writes are planned against a state that has read every
 * earlier write, by one writer at a time across all instances sharing the log, and return only
 * after the state shows them (read-your-writes).
 */
public interface RegistryLog extends AutoCloseable {

  /** The materialized state (read it for queries). */
  RegistryState state();

  /**
   * Runs the operation against the caught-up state while holding the write lease, appends the
   * records it returns and waits until the state has applied them. The operation may run more than
   * once when another instance took the lease in between, so it must only read the state.
   *
   * @return the operation's result
   */
  <T> T write(WriteOperation<T> operation);

  /** Whether the state has caught up with the log as it was at start. */
  boolean ready();

  @Override
  void close();

  /**
   * Plans a write from the current state.
   *
   * @param <T> the result type
   */
  @FunctionalInterface
  interface WriteOperation<T> {
    /** The records to append (possibly none) and the answer to give once they are applied. */
    Write<T> plan(RegistryState state);
  }

  /**
   * Records to append and the result to return.
   *
   * @param records the records, appended atomically in order
   * @param result the answer
   * @param <T> the result type
   */
  record Write<T>(List<LogRecord> records, T result) {
    /** A write that appends nothing. */
    public static <T> Write<T> none(T result) {
      return new Write<>(List.of(), result);
    }
  }
}
