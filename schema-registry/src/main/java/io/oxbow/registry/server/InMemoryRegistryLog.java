package io.oxbow.registry.server;

/**
 * A {@link RegistryLog} held in memory only: the storage of {@code mock://} registries used in
 * tests. Records go through the same JSON codec and {@link RegistryState#apply} as on Kafka.
 */
public final class InMemoryRegistryLog implements RegistryLog {
  private final RegistryState state = new RegistryState();

  @Override
  public RegistryState state() {
    return state;
  }

  @Override
  public synchronized <T> T write(WriteOperation<T> operation) {
    Write<T> write = operation.plan(state);
    write.records().forEach(r -> state.apply(r.key(), r.value()));
    return write.result();
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public void close() {}
}
