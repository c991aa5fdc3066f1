package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.http.security.ApiKeyRing;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code oxbow ingest} as a process: prints its URL when ready, serves, stops on SIGTERM. */
@ExtendWith(KafkaBackendExtension.class)
class IngestCommandIT {
  @Test
  void shouldPrintItsUrlWhenReadyAndStopOnTerm(KafkaBackend kafka) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    ApiKeyRing.Generated key = ApiKeyRing.generate("cli", "logs");
    Path keyFile = Files.createTempFile("ingest-keys", ".txt");
    Files.writeString(keyFile, key.configEntry() + "\n");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            IngestProcessMain.class.getName(),
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--port",
            "0",
            "--schema-registry-url",
            "mock://cli-" + id,
            "--api-key-file",
            keyFile.toString(),
            "--set",
            "ingest.logs-topic=cli-logs-" + id,
            "--set",
            "ingest.idempotency-topic=cli-idem-" + id,
            "--set",
            "ingest.transactional-id-prefix=cli-" + id);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
      String url = null;
      String line;
      while (url == null && (line = out.readLine()) != null) {
        if (line.startsWith("ingest: http://127.0.0.1:")) {
          url = line.substring("ingest: ".length());
        }
      }
      assertThat(url).as("the ready line").isNotNull();
      IngestClient client = new IngestClient(url);
      assertThat(client.get("/health/ready").status()).isEqualTo(200);
      assertThat(client.post("/v1/logs", "text/plain", "x\n").status()).isEqualTo(401);
      IngestClient.Reply accepted =
          client.post("/v1/logs", "text/plain", "a\nb\n", "Authorization", "Bearer " + key.key());
      assertThat(accepted.status()).isEqualTo(200);
      assertThat(accepted.json().path("accepted").asInt()).isEqualTo(2);
      process.destroy();
      assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void shouldRefuseAnUnknownSetting() throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                IngestProcessMain.class.getName(),
                "--set",
                "ingest.max-body=1")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isNotZero();
    assertThat(output).contains("ingest.max-body");
  }
}
