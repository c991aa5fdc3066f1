package io.oxbow.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The client module on its own: no registry server on the class path. */
class SchemaRegistryClientsTest {
  @Test
  void shouldNameTheMissingModuleWhenMockIsUsedWithoutTheServer() {
    assertThatThrownBy(
            () -> SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, "mock://alone")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(RegistryClientConfig.URL)
        .hasMessageContaining("schema-registry module");
  }

  @Test
  void shouldCreateARestClientWithoutTheServer() throws Exception {
    try (SchemaRegistryClient client =
        SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, "http://127.0.0.1:1"))) {
      assertThat(client).isInstanceOf(RestSchemaRegistryClient.class);
    }
  }

  @Test
  void shouldShipNoServerClasses() {
    assertThatThrownBy(() -> Class.forName("io.oxbow.registry.server.RegistryService"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("io.javalin.Javalin"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("org.eclipse.jetty.server.Server"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
