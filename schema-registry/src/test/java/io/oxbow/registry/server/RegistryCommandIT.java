package io.oxbow.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.cli.OxbowSubcommand;
import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code oxbow registry --embedded-broker --port 0 --basic-auth u:p} end to end. */
class RegistryCommandIT {

  @Test
  void shouldServeWithAnEmbeddedBrokerAndPrintItsUrl() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    CountDownLatch stop = new CountDownLatch(1);
    ConfigSource source =
        ConfigSource.ofFlags(
            Map.of(
                "registry.embedded-broker", "true",
                "registry.port", "0",
                "registry.basic-auth", "ann:pw"));
    Thread serving =
        new Thread(
            () -> {
              try {
                RegistryCommand.serve(source, out, stop);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    serving.start();
    try {
      Pattern url = Pattern.compile("registry: (http://127\\.0\\.0\\.1:\\d+)");
      String base =
          Awaitility.await()
              .atMost(Duration.ofSeconds(90))
              .until(
                  () -> {
                    Matcher m = url.matcher(buffer.toString(StandardCharsets.UTF_8));
                    return m.find() ? m.group(1) : null;
                  },
                  u -> u != null);
      Http http = new Http(base);
      assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("kafka: 127.0.0.1:");
      assertThat(http.get("/health/ready").status()).isEqualTo(200);
      assertThat(http.get("/subjects").status()).isEqualTo(401);
      String auth =
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString("ann:pw".getBytes(StandardCharsets.UTF_8));
      assertThat(
              http.call("GET", "/subjects", null, "application/json", "Authorization", auth).body())
          .isEqualTo("[]");
    } finally {
      stop.countDown();
      serving.join(Duration.ofSeconds(30).toMillis());
    }
    assertThat(serving.isAlive()).isFalse();
  }

  @Test
  void shouldBeDiscoveredAndRejectBadSettingsByName() {
    assertThat(ServiceLoader.load(OxbowSubcommand.class).stream().map(p -> p.type().getName()))
        .contains(RegistryCommand.class.getName());
    ConfigSource bad = ConfigSource.ofFlags(Map.of("registry.compatibility", "SIDEWAYS"));
    assertThatThrownBy(() -> bad.get(RegistryCommand.COMPATIBILITY))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("registry.compatibility");
    ConfigSource badAuth = ConfigSource.ofFlags(Map.of("registry.basic-auth", "no-colon"));
    assertThatThrownBy(() -> RegistryCommand.serve(badAuth, System.out, new CountDownLatch(0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("registry.basic-auth");
  }
}
