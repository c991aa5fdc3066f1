package io.oxbow.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSecurityTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required"
          + " username=\"oxbow\" password=\"s3cret-value\";";

  @Test
  void shouldAddNothingByDefault() {
    KafkaClientSecurity none = KafkaClientSecurity.from(ConfigSource.ofFlags(Map.of()));
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.protocol()).isEqualTo(SecurityProtocol.PLAINTEXT);
    assertThat(none.applyTo(new HashMap<>())).isEmpty();
  }

  @Test
  void shouldReadTheClientFileThenPrefixedSettingsFromEnvironmentAndFlags(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\n"
            + "sasl.mechanism=SCRAM-SHA-256\n"
            + "sasl.jaas.config="
            + JAAS.replace("\"", "\\\"")
            + "\n"
            + "ssl.truststore.location=/etc/oxbow/truststore.p12\n");
    Map<String, String> env =
        Map.of(
            "OXBOW_KAFKA_CLIENT_CONFIG",
            file.toString(),
            "OXBOW_KAFKA_CLIENT_SASL_MECHANISM",
            "SCRAM-SHA-512");
    KafkaClientSecurity security =
        KafkaClientSecurity.from(
            ConfigSource.of(
                Map.of("kafka.client.ssl.truststore.password", "trust-pass"),
                env,
                Optional.empty()));

    Properties client = security.applyTo(new Properties());
    assertThat(client)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("ssl.truststore.location", "/etc/oxbow/truststore.p12")
        .containsEntry("ssl.truststore.password", "trust-pass");
    assertThat(security.protocol()).isEqualTo(SecurityProtocol.SASL_SSL);
    assertThat(security.origin("sasl.jaas.config")).isEqualTo("kafka.client-config (" + file + ")");
    assertThat(security.origin("sasl.mechanism")).isEqualTo("kafka.client.sasl.mechanism");
  }

  @Test
  void shouldHideSecretsWhereverTheSettingsAreShown() {
    KafkaClientSecurity security =
        KafkaClientSecurity.from(
            ConfigSource.ofFlags(
                Map.of(
                    "kafka.client.security.protocol", "SASL_SSL",
                    "kafka.client.sasl.jaas.config", JAAS,
                    "kafka.client.ssl.keystore.password", "key-store-pass",
                    "kafka.client.ssl.key.password", "key-pass",
                    "kafka.client.ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
                    "kafka.client.ssl.truststore.location", "/etc/oxbow/truststore.p12")));
    assertThat(security.redacted())
        .containsEntry("sasl.jaas.config", KafkaClientSecurity.HIDDEN)
        .containsEntry("ssl.keystore.password", KafkaClientSecurity.HIDDEN)
        .containsEntry("ssl.key.password", KafkaClientSecurity.HIDDEN)
        .containsEntry("ssl.keystore.key", KafkaClientSecurity.HIDDEN)
        .containsEntry("ssl.truststore.location", "/etc/oxbow/truststore.p12")
        .containsEntry("security.protocol", "SASL_SSL");
    assertThat(security.toString())
        .doesNotContain("s3cret-value", "key-store-pass", "key-pass", "PRIVATE KEY");
  }

  @Test
  void shouldRefuseWhatIsNotAConnectionOrSecurityPropertyNamingIt(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "security.protocol=SSL\nenable.idempotence=false\n");
    assertThatThrownBy(
            () ->
                KafkaClientSecurity.from(
                    ConfigSource.ofFlags(Map.of("kafka.client-config", file.toString()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.client-config (" + file + ")")
        .hasMessageContaining("enable.idempotence is not a Kafka connection or security property");
    assertThatThrownBy(
            () ->
                KafkaClientSecurity.from(
                    ConfigSource.ofFlags(Map.of("kafka.client.group.id", "other"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.client.group.id");
  }

  @Test
  void shouldNameAnUnknownProtocolAndAMissingJaasConfig() {
    assertThatThrownBy(
            () ->
                KafkaClientSecurity.from(
                    ConfigSource.ofFlags(Map.of("kafka.client.security.protocol", "TLS"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.client.security.protocol")
        .hasMessageContaining("expected one of [PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL]");
    assertThatThrownBy(
            () ->
                KafkaClientSecurity.from(
                    ConfigSource.ofFlags(Map.of("kafka.client.security.protocol", "sasl_ssl"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("needs sasl.jaas.config");
  }

  @Test
  void shouldNameAnUnreadableFile(@TempDir Path dir) {
    Path missing = dir.resolve("missing.properties");
    assertThatThrownBy(
            () ->
                KafkaClientSecurity.from(
                    ConfigSource.ofFlags(Map.of("kafka.client-config", missing.toString()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.client-config = \"" + missing + "\": cannot read");
  }
}
