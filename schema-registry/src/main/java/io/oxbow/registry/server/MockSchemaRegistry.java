package io.oxbow.registry.server;

import io.oxbow.registry.client.SchemaRegistryClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory registries behind {@code schema.registry.url=mock://<scope>}: one per scope name
 * and JVM, so every serde configured with the same scope shares subjects and ids. Same semantics as
 * the server (ids, versions, compatibility, deletes), without HTTP or Kafka. For tests.
 */
public final class MockSchemaRegistry {
  private static final Map<String, RegistryService> SCOPES = new ConcurrentHashMap<>();

  private MockSchemaRegistry() {}

  /** The registry of a scope, created empty (global level BACKWARD) on first use. */
  public static RegistryService scope(String scope) {
    return SCOPES.computeIfAbsent(
        scope, s -> new RegistryService(new InMemoryRegistryLog(), CompatibilityLevel.DEFAULT));
  }

  /** A client of the scope's registry. */
  public static SchemaRegistryClient client(String scope) {
    return new LocalSchemaRegistryClient(scope(scope));
  }

  /** Forgets a scope: clients created afterwards start empty (earlier ones keep the old one). */
  public static void drop(String scope) {
    SCOPES.remove(scope);
  }
}
