package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployables as separate processes, as in production: {@code oxbow broker}, {@code registry},
 * {@code ingest}, {@code stream}, {@code batch} and {@code serve}, each its own JVM, wired only by
 * {@code --bootstrap-servers} and the registry URL. Lines posted to the ingest app are counted by
 * the serving API, and every process stops on SIGTERM within 10 s.
 */
class SeparateProcessesIT {
  private static final Path SAMPLE =
      Path.of(System.getProperty("oxbow.root", ".."))
          .resolve("samples/access-logs/elastic_apache_logs.log");
  private static final Duration START = Duration.ofMinutes(3);

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servicesRunAsSeparateProcessesAgainstOneBroker(@TempDir Path dir) throws Exception {
    List<OxbowProcess> processes = new ArrayList<>();
    try {
      OxbowProcess broker =
          start(processes, "broker", "--port", "0", "--data-dir", dir.resolve("kafka").toString());
      String kafka = broker.awaitLine("kafka: ", START);
      OxbowProcess registryProcess =
          start(processes, "registry", "--bootstrap-servers", kafka, "--port", "0");
      String registry = registryProcess.awaitLine("registry: ", START);
      String[] common = {"--bootstrap-servers", kafka, "--schema-registry-url", registry};
      OxbowProcess ingest = start(processes, with(common, "ingest", "--port", "0"));
      OxbowProcess stream =
          start(
              processes,
              with(
                  common,
                  "stream",
                  "--http-port",
                  "0",
                  "--grace",
                  "3h",
                  "--state-dir",
                  dir.resolve("streams").toString()));
      OxbowProcess batch =
          start(
              processes,
              with(
                  common,
                  "batch",
                  "--http-port",
                  "0",
                  "--lake-dir",
                  dir.resolve("lake").toString()));
      OxbowProcess serve =
          start(
              processes,
              with(common, "serve", "--port", "0", "--lake-dir", dir.resolve("lake").toString()));
      String ingestUrl = ingest.awaitLine("ingest: ", START);
      stream.awaitLine("stream: ", START);
      batch.awaitLine("batch: ", START);
      String api = serve.awaitLine("serving: ", START) + "api/v1";

      List<String> lines = Files.readAllLines(SAMPLE, StandardCharsets.UTF_8).subList(0, 300);
      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/logs"))
                  .header("Content-Type", "text/plain")
                  .header("X-Oxbow-Source", "separate-processes")
                  .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines) + "\n"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
      assertThat(posted.body()).contains("\"accepted\":300");

      ObjectMapper json = new ObjectMapper();
      String query =
          api
              + "/views/traffic/query?granularity=all&metrics=requests"
              + "&from=2015-05-17T00:00:00Z&to=2015-05-18T00:00:00Z";
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                HttpResponse<String> r =
                    http.send(
                        HttpRequest.newBuilder(URI.create(query)).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode rows = json.readTree(r.body()).path("rows");
                long n = rows.isEmpty() ? 0 : rows.get(0).path("metrics").path("requests").asLong();
                assertThat(n).isLessThanOrEqualTo(lines.size());
                return n == lines.size();
              });

      // stop in reverse order, each within the 10 s bound
      for (int i = processes.size() - 1; i >= 0; i--) {
        assertThat(processes.get(i).terminate(Duration.ofSeconds(10))).isIn(0, 130, 143);
      }
    } finally {
      processes.forEach(OxbowProcess::close);
    }
  }

  private static OxbowProcess start(List<OxbowProcess> processes, String... args) throws Exception {
    OxbowProcess p = OxbowProcess.start(args);
    processes.add(p);
    return p;
  }

  private static String[] with(String[] common, String command, String... more) {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.addAll(List.of(common));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }
}
