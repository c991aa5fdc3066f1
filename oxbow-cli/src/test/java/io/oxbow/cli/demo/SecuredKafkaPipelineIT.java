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
import io.oxbow.runtime.http.security.ApiKeyRing;
import io.oxbow.serving.ServeConfig;
import io.oxbow.serving.ServingApp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a broker whose only client listener is SASL_SSL (SCRAM-SHA-512 over TLS,
 * certificates and users made here): the registry's {@code _schemas} log, ingest, the stream
 * processor, the batch loader and the serving API all connect with one {@code kafka.client-config}
 * file, and the merged views of a slice of the elastic sample equal the direct computation the
 * replay test checks against. Ingest and the serving API serve HTTPS only (a certificate of an
 * authority made here, which the test's client trusts and nothing else does) and require API keys
 * from one key file: the lines are posted with a {@code logs} key, the views read with a {@code
 * read} key; anonymous, wrong-permission and plain-HTTP requests get no data. Then a service given
 * a wrong password, and one that does not trust the broker's certificate, stop at start within
 * seconds with an error naming the setting.
 *
 * <p>The registry stays on plain HTTP without keys, on loopback: the services' registry clients
 * take only {@code <prefix>.schema-registry-url}, which can carry a key as user info but no trust
 * store, so they could trust a test authority only through the JVM-wide default.
 */
class SecuredKafkaPipelineIT {
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", "../.."));
  private static final int LINES = 1000;
  private static final Duration REFUSED_WITHIN = Duration.ofSeconds(15);

  private final ObjectMapper json = new ObjectMapper();
  private HttpClient http;
  private String readKey;

  @Test
  void everyServiceWorksThroughSaslSslAndBadCredentialsStopAServiceAtStart(@TempDir Path dir)
      throws Exception {
    String password = UUID.randomUUID().toString().replace("-", "");
    SaslSsl tls =
        SaslSsl.generate(Files.createDirectories(dir.resolve("certs")), Map.of("oxbow", password));
    Path clientConfig =
        tls.writeClientConfig(dir.resolve("kafka-client.properties"), "oxbow", password);
    HttpsCertificates https = HttpsCertificates.generate(dir.resolve("certs"));
    http = HttpClient.newBuilder().sslContext(https.trustingContext()).build();
    ApiKeyRing.Generated writer = ApiKeyRing.generate("secured-writer", "logs");
    ApiKeyRing.Generated reader = ApiKeyRing.generate("secured-reader", "read");
    readKey = reader.key();
    Path keyFile =
        Files.writeString(
            dir.resolve("api-keys"), writer.configEntry() + "\n" + reader.configEntry() + "\n");
    // every port (8070..9092 plus the offset) below the kernel's ephemeral range (32768 and up),
    // where a client connection's local port could take one first
    int offset = 22000 + ThreadLocalRandom.current().nextInt(0, 16) * 100;
    Map<String, String> settings = settings(clientConfig, keyFile, https);
    try (DemoStack stack = DemoStack.start(dir.resolve("data"), offset, List.of(), settings, tls)) {
      assertThat(stack.kafkaSecurity().redacted())
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.jaas.config", "[hidden]");
      assertThat(stack.ingestUrl()).startsWith("https://127.0.0.1:");
      assertThat(stack.apiUrl()).startsWith("https://127.0.0.1:");
      List<String> lines =
          Files.readAllLines(
                  ROOT.resolve("samples/access-logs/elastic_apache_logs.log"),
                  StandardCharsets.ISO_8859_1)
              .subList(0, LINES);
      HttpResponse<String> posted = post(stack, lines, writer.key());
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
      assertThat(get(stack.ingestUrl() + "/health/ready", null).statusCode()).isEqualTo(200);
      assertThat(get(stack.apiUrl() + "/health/ready", null).statusCode()).isEqualTo(200);
      HttpResponse<String> status = get(api + "/status", readKey);
      assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
      JsonNode lag = json.readTree(status.body()).path("lag");
      for (String group : List.of("stream_processor", "batch_loader")) {
        assertThat(lag.path(group).path("error").isMissingNode()).as(lag.toString()).isTrue();
        assertThat(lag.path(group).path("records").isNumber()).as(lag.toString()).isTrue();
      }

      assertNoDataWithoutTheKeyOrTls(stack, writer, reader);

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

  /**
   * Ingest and the serving API give nothing to a client that does not trust the test's authority,
   * to a request without a key or with a key lacking the permission, nor in clear text.
   */
  private void assertNoDataWithoutTheKeyOrTls(
      DemoStack stack, ApiKeyRing.Generated writer, ApiKeyRing.Generated reader) throws Exception {
    // the certificate is the test authority's: a client trusting only the JVM's authorities
    // does not get through the handshake
    assertThatThrownBy(
            () ->
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
    // no data without the right key, nor in clear text on the HTTPS ports
    assertThat(get(stack.apiUrl() + "/api/v1/status", null).statusCode()).isEqualTo(401);
    assertThat(get(stack.apiUrl() + "/api/v1/status", writer.key()).statusCode()).isEqualTo(403);
    assertThat(
            post(
                    stack,
                    List.of("127.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1"),
                    reader.key())
                .statusCode())
        .isEqualTo(403);
    // plain HTTP to the HTTPS ports: the server answers with a TLS alert, no HTTP at all
    assertNoPlainHttpAnswer(stack.apiUrl() + "/api/v1/status", reader.key());
    assertNoPlainHttpAnswer(stack.ingestUrl() + "/v1/logs", writer.key());
  }

  /**
   * The stack's settings: every Kafka client through {@code clientConfig}; ingest and the serving
   * API on HTTPS with {@code https}'s certificate and the keys of {@code keyFile}; the batch and
   * stream timings of the replay test.
   */
  private static Map<String, String> settings(
      Path clientConfig, Path keyFile, HttpsCertificates https) {
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.client-config", clientConfig.toString());
    settings.put("batch.allowed-lateness", "1m");
    settings.put("batch.idle-timeout", "5s");
    settings.put("batch.compaction-interval", "2s");
    // the sample's minutes are out of order by up to an hour: keep them all in the speed views
    // too, as the replay test does
    settings.put("stream.grace", "3h");
    for (String service : List.of("ingest", "serve")) {
      settings.put(service + ".api-key-file", keyFile.toString());
      settings.put(service + ".tls-cert-file", https.certificateFile().toString());
      settings.put(service + ".tls-key-file", https.keyFile().toString());
    }
    return settings;
  }

  private HttpResponse<String> post(DemoStack stack, List<String> lines, String key)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(stack.ingestUrl() + "/v1/logs"))
            .header("Content-Type", "text/plain")
            .header("X-Oxbow-Source", "secured-kafka")
            .header("Authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines) + "\n"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET with {@code key} as bearer token (none when null). */
  private HttpResponse<String> get(String url, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A plain-HTTP GET with {@code key} to the port of the HTTPS {@code url} gets no answer. */
  private static void assertNoPlainHttpAnswer(String url, String key) {
    assertThat(url).startsWith("https://");
    URI plain = URI.create("http://" + url.substring("https://".length()));
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(plain)
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + key)
            .build();
    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
        .as("plain HTTP to " + plain)
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
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
    HttpResponse<String> response = get(url, readKey);
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
