package io.oxbow.registry.client;

import java.util.Map;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.ConfigException;

/**
 * Creates the {@link SchemaRegistryClient} that a serde configuration names: the in-memory registry
 * of a scope for {@code schema.registry.url=mock://<scope>} (provided by the {@code
 * schema-registry} module through {@link InMemoryRegistries}), else a REST client with the settings
 * of {@link RegistryClientConfig}.
 */
public final class SchemaRegistryClients {
  /** URL prefix of the in-memory registries. */
  public static final String MOCK_PREFIX = "mock://";

  private SchemaRegistryClients() {}

  /**
   * A client for the configuration.
   *
   * @throws ConfigException naming the key when the configuration is incomplete or malformed, or
   *     names a {@code mock://} registry while the {@code schema-registry} module is not on the
   *     class path
   */
  public static SchemaRegistryClient create(Map<String, ?> configs) {
    Object url = configs.get(RegistryClientConfig.URL);
    if (url != null && url.toString().trim().startsWith(MOCK_PREFIX)) {
      String first = url.toString().split(",")[0].trim();
      return inMemory(first).client(first.substring(MOCK_PREFIX.length()));
    }
    return new RestSchemaRegistryClient(RegistryClientConfig.from(configs));
  }

  private static InMemoryRegistries inMemory(String url) {
    return ServiceLoader.load(InMemoryRegistries.class)
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException(
                    RegistryClientConfig.URL,
                    url,
                    "mock:// registries live in memory in the schema-registry module, which is not"
                        + " on the class path (add it, as a test dependency for tests)"));
  }
}
