package io.oxbow.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {
  private static final Setting<Integer> PORT =
      Setting.port("ingest.port", 8080, false, "HTTP port of the ingest API.");
  private static final Setting<Duration> WINDOW =
      Setting.duration("ingest.idempotency-window", "24h", "How long retries are recognised.");
  private static final Setting<Long> MAX_BODY =
      Setting.bytes("ingest.max-body-bytes", "8MiB", "Largest request body.");
  private static final Setting<String> REQUIRED =
      Setting.string("ingest.bootstrap-servers", null, "Kafka bootstrap servers.");

  @Test
  void flagsBeatEnvironmentBeatsFileBeatsDefault(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("oxbow.properties");
    Files.writeString(file, "ingest.port=7000\ningest.idempotency-window=1h\n");
    Map<String, String> env = Map.of("OXBOW_INGEST_PORT", "7100", "OXBOW_CONFIG", file.toString());

    assertThat(ConfigSource.of(Map.of("ingest.port", "7200"), env, Optional.empty()).get(PORT))
        .isEqualTo(7200);
    ConfigSource envAndFile = ConfigSource.of(Map.of(), env, Optional.empty());
    assertThat(envAndFile.get(PORT)).isEqualTo(7100);
    assertThat(envAndFile.get(WINDOW)).isEqualTo(Duration.ofHours(1));
    assertThat(envAndFile.get(MAX_BODY)).isEqualTo(8L * 1024 * 1024);
  }

  @Test
  void prefixedValuesComeFromFlagsEnvironmentAndFileWithTheSamePrecedence(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("oxbow.properties");
    Files.writeString(
        file,
        "kafka.client.ssl.truststore.type=PEM\n"
            + "kafka.client.sasl.mechanism=PLAIN\n"
            + "kafka.client-config=/not/a/prefixed/key\n");
    Map<String, String> env =
        Map.of(
            "OXBOW_KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-256",
            "OXBOW_KAFKA_CLIENT_SECURITY_PROTOCOL", "SSL",
            "OXBOW_INGEST_PORT", "7100");
    ConfigSource source =
        ConfigSource.of(
            Map.of("kafka.client.security.protocol", "SASL_SSL"), env, Optional.of(file));

    assertThat(source.withPrefix("kafka.client."))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "ssl.truststore.type", "PEM",
                "sasl.mechanism", "SCRAM-SHA-256",
                "security.protocol", "SASL_SSL"));
  }

  @Test
  void environmentVariableNameIsDerivedFromTheKey() {
    assertThat(WINDOW.envName()).isEqualTo("OXBOW_INGEST_IDEMPOTENCY_WINDOW");
  }

  @Test
  void badValueNamesSettingOriginValueAndExpectation() {
    ConfigSource source =
        ConfigSource.of(Map.of(), Map.of("OXBOW_INGEST_PORT", "80a"), Optional.empty());
    assertThatThrownBy(() -> source.get(PORT))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "ingest.port (env OXBOW_INGEST_PORT) = \"80a\": expected a whole number from 1 to 65535");
  }

  @Test
  void missingRequiredSettingSaysHowToSetIt() {
    assertThatThrownBy(() -> ConfigSource.ofFlags(Map.of()).get(REQUIRED))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.bootstrap-servers is required")
        .hasMessageContaining("OXBOW_INGEST_BOOTSTRAP_SERVERS");
  }

  @Test
  void unreadableConfigFileIsAClearError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> ConfigSource.of(Map.of(), Map.of(), Optional.of(missing)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read the configuration file " + missing);
  }

  @Test
  void durationsAndSizesAcceptCommonSpellings() {
    ConfigSource s =
        ConfigSource.ofFlags(
            Map.of("ingest.idempotency-window", "PT90S", "ingest.max-body-bytes", "64KiB"));
    assertThat(s.get(WINDOW)).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.get(MAX_BODY)).isEqualTo(65536L);
    assertThatThrownBy(
            () -> ConfigSource.ofFlags(Map.of("ingest.max-body-bytes", "lots")).get(MAX_BODY))
        .hasMessageContaining("expected a size such as 65536, 64KiB or 8MiB");
  }
}
