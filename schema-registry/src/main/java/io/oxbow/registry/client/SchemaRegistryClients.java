package io.oxbow.registry.client;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Creates the {@link SchemaRegistryClient} that a serde configuration names: the in-memory registry
 * of a scope for {@code schema.registry.url=mock://<scope>}, else a REST client with the settings
 * of {@link RegistryClientConfig}.
 */
public final class SchemaRegistryClients {
  /** URL prefix of the in-memory registries. */
  public static final String MOCK_PREFIX = "mock://";

  private SchemaRegistryClients() {}

  /**
   * A client for the configuration.
   *
   * @throws ConfigException naming the key when the configuration is incomplete or malformed
   */
  public static SchemaRegistryClient create(Map<String, ?> configs) {
    Object url = configs.get(RegistryClientConfig.URL);
    if (url != null && url.toString().trim().startsWith(MOCK_PREFIX)) {
      String first = url.toString().split(",")[0].trim();
      return MockSchemaRegistry.client(first.substring(MOCK_PREFIX.length()));
    }
    return new RestSchemaRegistryClient(RegistryClientConfig.from(configs));
  }
}
