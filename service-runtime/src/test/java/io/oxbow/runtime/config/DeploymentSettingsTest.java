package io.oxbow.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's key overrides the deployment-wide one, which overrides the default. */
class DeploymentSettingsTest {
  private static final Setting<String> INGEST = Setting.bootstrapServers("ingest");
  private static final Setting<Path> LAKE =
      Setting.path("batch.lake-dir", null, "Lake of the batch loader.")
          .withFallback(DeploymentSettings.LAKE_DIR);

  private static ConfigSource source(
      Map<String, String> flags, Map<String, String> env, Path file) {
    return ConfigSource.of(flags, env, Optional.ofNullable(file));
  }

  @Test
  void shouldTakeTheFlagThenTheServiceKeyThenTheSharedKeyThenTheDefault(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("oxbow.properties");
    Files.writeString(file, "ingest.bootstrap-servers=file-ingest:9092\n");
    Map<String, String> env = Map.of("OXBOW_BOOTSTRAP_SERVERS", "env-shared:9092");

    assertThat(source(Map.of(), Map.of(), null).get(INGEST)).isEqualTo("127.0.0.1:9092");
    assertThat(source(Map.of(), env, null).get(INGEST)).isEqualTo("env-shared:9092");
    // the service's key wins over the deployment's, even from a source of lower precedence
    assertThat(source(Map.of(), env, file).get(INGEST)).isEqualTo("file-ingest:9092");
    assertThat(
            source(Map.of(), Map.of("OXBOW_INGEST_BOOTSTRAP_SERVERS", "env-ingest:9092"), file)
                .get(INGEST))
        .isEqualTo("env-ingest:9092");
    // the command line wins over everything, the service's key over the shared one there too
    assertThat(source(Map.of("oxbow.bootstrap-servers", "flag-shared:9092"), env, file).get(INGEST))
        .isEqualTo("flag-shared:9092");
    assertThat(
            source(
                    Map.of(
                        "oxbow.bootstrap-servers", "flag-shared:9092",
                        "ingest.bootstrap-servers", "flag-ingest:9092"),
                    env,
                    file)
                .get(INGEST))
        .isEqualTo("flag-ingest:9092");
  }

  @Test
  void shouldReadTheSharedKeyFromAFileAndItsEnvironmentVariableWithoutARepeatedPrefix(
      @TempDir Path dir) throws IOException {
    Path file = dir.resolve("oxbow.properties");
    Files.writeString(file, "oxbow.lake-dir=/srv/lake\n");

    assertThat(source(Map.of(), Map.of(), file).get(LAKE)).isEqualTo(Path.of("/srv/lake"));
    assertThat(DeploymentSettings.LAKE_DIR.envName()).isEqualTo("OXBOW_LAKE_DIR");
    assertThat(DeploymentSettings.BOOTSTRAP_SERVERS.envName()).isEqualTo("OXBOW_BOOTSTRAP_SERVERS");
    assertThat(LAKE.envName()).isEqualTo("OXBOW_BATCH_LAKE_DIR");
    assertThat(LAKE.effectiveDefault()).contains("./data/lake");
    assertThat(source(Map.of(), Map.of(), null).get(LAKE)).isEqualTo(Path.of("./data/lake"));
  }

  @Test
  void shouldNameTheKeyThatHeldABadValue() {
    Setting<Integer> port = Setting.integer("oxbow.test-port", 1, 1, 9, "A shared number.");
    Setting<Integer> servicePort =
        new Setting<Integer>("svc.test-port", null, "The service's number.", Integer::parseInt)
            .withFallback(port);

    assertThatThrownBy(
            () -> source(Map.of(), Map.of("OXBOW_TEST_PORT", "12"), null).get(servicePort))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "oxbow.test-port (env OXBOW_TEST_PORT) = \"12\": expected a whole number from 1 to 9");
  }

  @Test
  void shouldFindNothingWhenNeitherKeyIsSetAndTheSharedOneHasNoDefault() {
    Setting<Path> views =
        Setting.path("serve.views-file", null, "Views.")
            .withFallback(DeploymentSettings.VIEWS_FILE);

    assertThat(source(Map.of(), Map.of(), null).find(views)).isEmpty();
    assertThat(source(Map.of(), Map.of("OXBOW_VIEWS_FILE", "/v.yaml"), null).find(views))
        .contains(Path.of("/v.yaml"));
  }

  @Test
  void shouldRefuseADefaultBesideAFallbackAndTheKeyOfTheConfigurationFile() {
    assertThatThrownBy(
            () ->
                new Setting<>(
                    "svc.x", "1", "x", Integer::parseInt, Setting.integer("oxbow.x", 1, 0, 9, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("oxbow.x");
    assertThatThrownBy(() -> Setting.string("oxbow.config", null, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OXBOW_CONFIG");
  }
}
