package io.oxbow.registry.client;

/**
 * The in-memory registries behind {@code schema.registry.url=mock://<scope>}, found with {@link
 * java.util.ServiceLoader}. The {@code schema-registry} module provides them (with the server's
 * semantics: ids, versions, compatibility, deletes), so this module carries no registry of its own:
 * a user of the serde who wants {@code mock://} in tests adds {@code schema-registry} as a test
 * dependency.
 */
public interface InMemoryRegistries {
  /**
   * A client of the scope's registry: every client of the same scope in this JVM shares subjects
   * and ids; the registry is created empty on first use.
   */
  SchemaRegistryClient client(String scope);
}
