package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.ingest.IngestApp;
import io.oxbow.ingest.IngestConfig;
import io.oxbow.localkafka.SaslSsl;
import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.serving.ServeConfig;
import io.oxbow.serving.ServingApp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a broker whose only client listener is SASL_SSL (SCRAM-SHA-512 over TLS,
 * certificates and users made here): the registry's {@code _schemas} log, ingest, the stream
 * processor, the batch loader and the serving API all connect with one {@code kafka.client-config}
 * file, and the merged views of a slice of the elastic sample equal the direct computation the
 * replay test checks against. Then a service given a wrong password, and one that does not trust
 * the broker's certificate, stop at start within seconds with an error naming the setting.
 */
class SecuredKafkaPipelineIT {
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", "../.."));
  private static final int LINES = 1000;
  private static final Duration REFUSED_WITHIN = Duration.ofSeconds(15);

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void everyServiceWorksThroughSaslSslAndBadCredentialsStopAServiceAtStart(@TempDir Path dir)
      throws Exception {
    String password = UUID.randomUUID().toString().replace("-", "");
    SaslSsl tls =
        SaslSsl.generate(Files.createDirectories(dir.resolve("certs")), Map.of("oxbow", password));
    Path clientConfig =
        tls.writeClientConfig(dir.resolve("kafka-client.properties"), "oxbow", password);
    int offset = 26000 + ThreadLocalRandom.current().nextInt(0, 20) * 100;
    Map<String, String> settings =
        Map.of(
            "kafka.client-config", clientConfig.toString(),
            "batch.allowed-lateness", "1m",
            "batch.idle-timeout", "5s",
            "batch.compaction-interval", "2s",
            // the sample's minutes are out of order by up to an hour: keep them all in the speed
            // views too, as the replay test does
            "stream.grace", "3h",
            "serve.max-query-windows", "100000");
    try (DemoStack stack = DemoStack.start(dir.resolve("data"), offset, List.of(), settings, tls)) {
      assertThat(stack.kafkaSecurity().redacted())
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.jaas.config", "[hidden]");

      List<String> lines =
          Files.readAllLines(
                  ROOT.resolve("samples/access-logs/elastic_apache_logs.log"),
                  StandardCharsets.ISO_8859_1)
              .subList(0, LINES);
      HttpResponse<String> posted = post(stack, lines);
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
      assertThat(posted.body()).contains("\"accepted\":" + LINES);

      LambdaInvariantIT.Direct direct = LambdaInvariantIT.Direct.of(lines, List.of());
      Instant from = direct.first().truncatedTo(ChronoUnit.DAYS);
      Instant to = direct.last().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
      String api = stack.apiUrl() + "/api/v1";
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () ->
                  series(api, "traffic", "requests", "hour", from, to)
                      .equals(direct.bucket(direct.requests(), "hour", from)));
      for (String granularity : List.of("minute", "hour", "day", "all")) {
        assertThat(series(api, "traffic", "requests", granularity, from, to))
            .isEqualTo(direct.bucket(direct.requests(), granularity, from));
        assertThat(series(api, "traffic", "bytes", granularity, from, to))
            .isEqualTo(direct.bucket(direct.bytes(), granularity, from));
        assertThat(series(api, "errors", "count", granularity, from, to))
            .isEqualTo(direct.bucket(direct.errors(), granularity, from));
      }

      // every client reached the broker: the readiness checks, the serving API's tailers (speed
      // views, dead letters) and its lag admin client
      assertThat(get(stack.ingestUrl() + "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(stack.apiUrl() + "/health/ready").statusCode()).isEqualTo(200);
      JsonNode lag = json.readTree(get(api + "/status").body()).path("lag");
      for (String group : List.of("stream_processor", "batch_loader")) {
        assertThat(lag.path(group).path("error").isMissingNode()).as(lag.toString()).isTrue();
        assertThat(lag.path(group).path("records").isNumber()).as(lag.toString()).isTrue();
      }

      Path wrong =
          tls.writeClientConfig(
              dir.resolve("wrong-password.properties"), "oxbow", "not" + password);
      IngestConfig ingest =
          IngestConfig.from(
              ConfigSource.ofFlags(
                  Map.of(
                      "ingest.bootstrap-servers", stack.kafka(),
                      "ingest.schema-registry-url", stack.registryUrl(),
                      "ingest.port", "0",
                      "kafka.client-config", wrong.toString())));
      long begin = System.nanoTime();
      assertThatThrownBy(() -> IngestApp.builder(ingest).build().start().close())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("ingest.bootstrap-servers")
          .hasMessageContaining("refused the credentials of sasl.jaas.config")
          .hasMessageContaining("kafka.client-config (" + wrong + ")")
          .hasMessageNotContaining(password);
      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(REFUSED_WITHIN);

      SaslSsl otherAuthority =
          SaslSsl.generate(Files.createDirectories(dir.resolve("other-ca")), Map.of());
      Path untrusted =
          otherAuthority.writeClientConfig(dir.resolve("untrusted.properties"), "oxbow", password);
      ServeConfig serve =
          ServeConfig.from(
              ConfigSource.ofFlags(
                  Map.of(
                      "serve.bootstrap-servers", stack.kafka(),
                      "serve.port", "0",
                      "serve.lake-dir", dir.resolve("no-lake").toString(),
                      "kafka.client-config", untrusted.toString())));
      begin = System.nanoTime();
      assertThatThrownBy(() -> ServingApp.start(serve).close())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("serve.bootstrap-servers")
          .hasMessageContaining("certificate is not trusted by ssl.truststore.location")
          .hasMessageContaining("kafka.client-config (" + untrusted + ")");
      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(REFUSED_WITHIN);
    }
  }

  private HttpResponse<String> post(DemoStack stack, List<String> lines) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(stack.ingestUrl() + "/v1/logs"))
            .header("Content-Type", "text/plain")
            .header("X-Oxbow-Source", "secured-kafka")
            .header("Authorization", "Bearer " + stack.apiKey())
            .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines) + "\n"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The merged {@code view}'s {@code metric} per window, zero windows left out. */
  private Map<Instant, Long> series(
      String api, String view, String metric, String granularity, Instant from, Instant to)
      throws Exception {
    String url =
        api
            + "/views/"
            + view
            + "/query?metrics="
            + metric
            + "&granularity="
            + granularity
            + "&from="
            + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8)
            + "&to="
            + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + " -> " + response.body()).isEqualTo(200);
    Map<Instant, Long> out = new TreeMap<>();
    for (JsonNode row : json.readTree(response.body()).path("rows")) {
      long v = row.path("metrics").path(metric).asLong();
      if (v != 0) {
        out.merge(Instant.parse(row.path("window_start").asText()), v, Long::sum);
      }
    }
    return out;
  }
}
