package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.localkafka.LocalKafka;
import io.oxbow.localkafka.SaslSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kafka-config FILE} as an operator uses it, on a broker whose only client listener is
 * SASL_SSL: {@code oxbow registry} with the right client file keeps its {@code _schemas} log on the
 * broker and serves; with a wrong password it exits with code 2 within seconds and one line naming
 * the settings, without the password.
 */
class SecuredKafkaCommandIT {
  private static final Duration START = Duration.ofMinutes(2);

  @Test
  void registryRunsWithTheClientFileAndStopsAtOnceWithAWrongPassword(@TempDir Path dir)
      throws Exception {
    String password = UUID.randomUUID().toString().replace("-", "");
    SaslSsl tls =
        SaslSsl.generate(Files.createDirectories(dir.resolve("certs")), Map.of("oxbow", password));
    try (LocalKafka kafka = LocalKafka.builder().saslSsl(tls).build().start()) {
      Path right = tls.writeClientConfig(dir.resolve("right.properties"), "oxbow", password);
      try (OxbowProcess registry =
          OxbowProcess.start(
              "registry",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--kafka-config",
              right.toString(),
              "--port",
              "0")) {
        assertThat(registry.awaitLine("registry: ", START)).startsWith("http://");
        assertThat(registry.terminate(Duration.ofSeconds(10))).isIn(0, 130, 143);
      }

      Path wrong = tls.writeClientConfig(dir.resolve("wrong.properties"), "oxbow", "x" + password);
      try (OxbowProcess registry =
          OxbowProcess.start(
              "registry",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--kafka-config",
              wrong.toString(),
              "--port",
              "0")) {
        long begin = System.nanoTime();
        assertThat(registry.awaitExit(START)).isEqualTo(2);
        // JVM start included; the check itself gives up after at most 10 s
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(45));
        String stderr = String.join("\n", registry.stderr());
        assertThat(stderr)
            .contains(
                "registry: configuration error: Kafka at "
                    + kafka.bootstrapServers()
                    + " (registry.bootstrap-servers) refused the credentials of sasl.jaas.config"
                    + " from kafka.client-config ("
                    + wrong
                    + ")")
            .doesNotContain(password);
      }
    }
  }
}
