package io.oxbow.registry.server;

import io.oxbow.registry.client.InMemoryRegistries;
import io.oxbow.registry.client.SchemaRegistryClient;

/**
 * Serves {@code schema.registry.url=mock://<scope>} to the client module through {@link
 * java.util.ServiceLoader}: the scopes of {@link MockSchemaRegistry}, with the server's own
 * semantics. Registered in {@code META-INF/services/io.oxbow.registry.client.InMemoryRegistries}.
 */
public final class InMemoryRegistryProvider implements InMemoryRegistries {
  /** Called by {@link java.util.ServiceLoader}. */
  public InMemoryRegistryProvider() {}

  @Override
  public SchemaRegistryClient client(String scope) {
    return MockSchemaRegistry.client(scope);
  }
}
