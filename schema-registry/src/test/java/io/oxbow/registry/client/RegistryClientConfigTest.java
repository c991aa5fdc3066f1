package io.oxbow.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.registry.server.MockSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Confluent's client setting names and their defaults. */
class RegistryClientConfigTest {
  private static String basic(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldReadTheUrlListAndDefaults() {
    RegistryClientConfig c =
        RegistryClientConfig.from(Map.of("schema.registry.url", " http://a:1/ , http://b:2"));
    assertThat(c.urls()).containsExactly("http://a:1", "http://b:2");
    assertThat(c.authorization()).isEmpty();
    assertThat(c.maxRetries()).isEqualTo(3);
    assertThat(c.retryWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.retryMaxWait()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.maxSchemasPerSubject()).isEqualTo(1000);
  }

  @Test
  void shouldBuildAuthorizationFromEachSource() {
    assertThat(
            RegistryClientConfig.from(
                    Map.of(
                        "schema.registry.url", "http://r",
                        "basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", "ann:pw"))
                .authorization())
        .contains(basic("ann:pw"));
    assertThat(
            RegistryClientConfig.from(Map.of("schema.registry.url", "http://bo:pw2@r:8081"))
                .authorization())
        .contains(basic("bo:pw2"));
    assertThat(
            RegistryClientConfig.from(
                    Map.of(
                        "schema.registry.url",
                        "http://r",
                        "basic.auth.credentials.source",
                        "SASL_INHERIT",
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required"
                            + " username=\"cy\" password=\"pw3\";"))
                .authorization())
        .contains(basic("cy:pw3"));
    assertThat(
            RegistryClientConfig.from(
                    Map.of("schema.registry.url", "http://r", "bearer.auth.token", "tok"))
                .authorization())
        .contains("Bearer tok");
    assertThat(
            RegistryClientConfig.from(
                    Map.of(
                        "schema.registry.url", "http://r",
                        "schema.registry.ssl.truststore.location", "/tmp/t.jks"))
                .ssl())
        .containsEntry("truststore.location", "/tmp/t.jks");
  }

  @Test
  void shouldNameTheBadSetting() {
    assertThatThrownBy(() -> RegistryClientConfig.from(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(
            () ->
                RegistryClientConfig.from(
                    Map.of("schema.registry.url", "http://r", "max.retries", "many")))
        .hasMessageContaining("max.retries");
    assertThatThrownBy(
            () ->
                RegistryClientConfig.from(
                    Map.of(
                        "schema.registry.url", "http://r",
                        "basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", "nocolon")))
        .hasMessageContaining("basic.auth.user.info")
        .hasMessageNotContaining("nocolon");
    assertThatThrownBy(
            () ->
                SchemaRegistryClients.create(
                    Map.of(
                        "schema.registry.url", "http://r",
                        "schema.registry.ssl.truststore.location", "/no/such/file.jks")))
        .hasMessageContaining("schema.registry.ssl.");
  }

  @Test
  void shouldShareMockScopes() {
    SchemaRegistryClient a =
        SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://cfg-test"));
    SchemaRegistryClient b =
        SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://cfg-test"));
    SchemaRegistryClient other =
        SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://cfg-other"));
    int id =
        a.register("x-value", org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING));
    assertThat(b.schemaById(id).getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
    assertThat(other.subjects()).doesNotContain("x-value");
    MockSchemaRegistry.drop("cfg-test");
    assertThat(
            SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://cfg-test"))
                .subjects())
        .isEmpty();
  }
}
