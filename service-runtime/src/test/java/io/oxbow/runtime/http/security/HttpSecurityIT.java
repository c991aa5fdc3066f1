package io.oxbow.runtime.http.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.HandlerType;
import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.http.HttpService;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link HttpService} secured by {@link HttpSecurity}: keys and permissions, JSON refusals that
 * never name the key, the cross-site check, the refusal to start exposed without keys, HTTPS with a
 * certificate reloaded on change, the management port and the rate limit.
 */
class HttpSecurityIT {
  private static final HttpSecurityConfig.Settings SETTINGS =
      HttpSecurityConfig.Settings.of("test", 0, 10);
  private static final ApiKeyRing.Generated READER = ApiKeyRing.generate("reader-x7", "read");
  private static final ApiKeyRing.Generated ADMIN = ApiKeyRing.generate("admin-x7", "admin");
  private static final AccessPolicy POLICY =
      (method, path) ->
          path.startsWith("/api/")
              ? Optional.of(method == HandlerType.GET ? Permission.READ : Permission.ADMIN)
              : Optional.empty();

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<HttpService> started = new ArrayList<>();
  private HttpSecurity security;

  @TempDir Path temp;

  @AfterEach
  void stop() {
    started.forEach(HttpService::close);
  }

  private HttpService start(String host, Map<String, String> settings) throws Exception {
    return start(host, 0, settings);
  }

  private HttpService start(String host, int port, Map<String, String> settings) throws Exception {
    Map<String, String> all = new HashMap<>(settings);
    Path keys = temp.resolve("keys");
    Files.writeString(keys, READER.configEntry() + "\n" + ADMIN.configEntry() + "\n");
    all.putIfAbsent(SETTINGS.apiKeyFile().key(), keys.toString());
    HttpSecurityConfig config = SETTINGS.read(ConfigSource.ofFlags(all));
    security = HttpSecurity.builder(config, POLICY).build();
    HttpService http =
        HttpService.builder("test")
            .host(host)
            .port(port)
            .stopTimeout(Duration.ofSeconds(1))
            .security(security)
            .routes(
                r -> {
                  r.get("/api/data", ctx -> ctx.json(Map.of("rows", 3)));
                  r.post("/api/data", ctx -> ctx.json(Map.of("written", ctx.body())));
                })
            .build();
    started.add(http);
    return http.start();
  }

  private HttpResponse<String> send(String url, String method, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldRefuseAnonymousAndWrongPermissionRequestsWithJsonThatNeverNamesTheKey()
      throws Exception {
    HttpService http = start("127.0.0.1", Map.of());
    String url = http.baseUrl() + "/api/data";

    HttpResponse<String> anonymous = send(url, "GET", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().allValues("WWW-Authenticate"))
        .anyMatch(v -> v.startsWith("Bearer"));
    assertThat(json.readTree(anonymous.body()).path("status").asInt()).isEqualTo(401);

    HttpResponse<String> wrongKey = send(url, "GET", null, "Authorization", "Bearer oxb_nope");
    assertThat(wrongKey.statusCode()).isEqualTo(401);

    HttpResponse<String> forbidden =
        send(url, "POST", "x", "Authorization", "Bearer " + READER.key());
    assertThat(forbidden.statusCode()).isEqualTo(403);
    JsonNode error = json.readTree(forbidden.body());
    assertThat(error.path("error").asText()).contains("\"admin\"").doesNotContain("reader-x7");

    assertThat(send(url, "GET", null, "Authorization", "Bearer " + READER.key()).statusCode())
        .isEqualTo(200);
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("anyone:" + ADMIN.key()).getBytes(StandardCharsets.UTF_8));
    assertThat(send(url, "POST", "x", "Authorization", basic).statusCode())
        .as("a key as the basic-auth password, as Confluent clients send it")
        .isEqualTo(200);
    assertThat(send(http.baseUrl() + "/health/live", "GET", null).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldRefuseCrossSiteBrowserPosts() throws Exception {
    HttpService http = start("127.0.0.1", Map.of());
    String url = http.baseUrl() + "/api/data";
    String auth = "Bearer " + ADMIN.key();
    String self = URI.create(http.baseUrl()).getAuthority();

    HttpResponse<String> fromOtherSite =
        send(
            url,
            "POST",
            "x",
            "Authorization",
            auth,
            "Content-Type",
            "text/plain",
            "Origin",
            "http://attacker.example");
    assertThat(fromOtherSite.statusCode()).isEqualTo(403);
    assertThat(json.readTree(fromOtherSite.body()).path("error").asText()).contains("cross-origin");
    assertThat(
            send(url, "POST", "x", "Authorization", auth, "Sec-Fetch-Site", "cross-site")
                .statusCode())
        .isEqualTo(403);
    assertThat(send(url, "POST", "x", "Authorization", auth, "Origin", "null").statusCode())
        .isEqualTo(403);
    assertThat(
            send(url, "POST", "x", "Authorization", auth, "Origin", "http://" + self).statusCode())
        .as("the server's own page")
        .isEqualTo(200);
    assertThat(send(url, "POST", "x", "Authorization", auth).statusCode())
        .as("a client that is not a browser")
        .isEqualTo(200);
  }

  @Test
  void shouldRefuseToListenBeyondLoopbackWithoutKeysUnlessAllowed() throws Exception {
    Path none = Files.writeString(temp.resolve("no-keys"), "# none yet\n");
    assertThatThrownBy(() -> start("0.0.0.0", Map.of("test.api-key-file", none.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("test.host is 0.0.0.0")
        .hasMessageContaining("no API keys")
        .hasMessageContaining("--allow-anonymous");
    HttpService open =
        start(
            "0.0.0.0",
            Map.of("test.api-key-file", none.toString(), "test.allow-anonymous", "true"));
    assertThat(send(open.baseUrl() + "/api/data", "GET", null).statusCode()).isEqualTo(200);
    HttpService keyed = start("0.0.0.0", Map.of());
    assertThat(send(keyed.baseUrl() + "/api/data", "GET", null).statusCode()).isEqualTo(401);
  }

  @Test
  void shouldServeHttpsAndPickUpANewCertificateWhenTheFilesChange() throws Exception {
    Path cert = temp.resolve("cert.pem");
    Path key = temp.resolve("key.pem");
    X509Certificate first = TestCertificates.write(temp, "first", cert, key);
    HttpService http =
        start(
            "127.0.0.1",
            Map.of(
                "test.tls-cert-file", cert.toString(),
                "test.tls-key-file", key.toString(),
                "test.tls-reload-interval", "200ms"));
    assertThat(http.baseUrl()).startsWith("https://127.0.0.1:");
    X509Certificate second =
        TestCertificates.write(temp, "second", temp.resolve("c2"), temp.resolve("k2"));
    HttpClient tls = tlsClient(List.of(first, second));
    HttpResponse<String> answer =
        tls.send(
            HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/data"))
                .header("Authorization", "Bearer " + READER.key())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(served(answer)).isEqualTo(first.getSerialNumber());

    Files.copy(temp.resolve("k2"), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(temp.resolve("c2"), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                served(
                        tlsClient(List.of(first, second))
                            .send(
                                HttpRequest.newBuilder(URI.create(http.baseUrl() + "/health/live"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString()))
                    .equals(second.getSerialNumber()));
  }

  @Test
  void shouldServeHttpsOnTheConfiguredPortWithOneConnector() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path cert = temp.resolve("fixed-cert.pem");
    Path key = temp.resolve("fixed-key.pem");
    X509Certificate served = TestCertificates.write(temp, "fixed", cert, key);
    HttpService http =
        start(
            "127.0.0.1",
            port,
            Map.of("test.tls-cert-file", cert.toString(), "test.tls-key-file", key.toString()));
    assertThat(http.baseUrl()).isEqualTo("https://127.0.0.1:" + port);
    HttpResponse<String> answer =
        tlsClient(List.of(served))
            .send(
                HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/data"))
                    .header("Authorization", "Bearer " + READER.key())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(served(answer)).isEqualTo(served.getSerialNumber());
  }

  @Test
  void shouldKeepHealthAndMetricsOnTheManagementPortOnly() throws Exception {
    HttpService http = start("127.0.0.1", Map.of("test.management-port", "0"));
    String management = "http://127.0.0.1:" + security.managementPort();
    assertThat(send(management + "/health/live", "GET", null).statusCode()).isEqualTo(200);
    assertThat(send(management + "/metrics", "GET", null).statusCode()).isEqualTo(200);
    assertThat(
            send(management + "/api/data", "GET", null, "Authorization", "Bearer " + READER.key())
                .statusCode())
        .isEqualTo(404);
    assertThat(send(http.baseUrl() + "/metrics", "GET", null).statusCode()).isEqualTo(404);
    assertThat(
            send(
                    http.baseUrl() + "/api/data",
                    "GET",
                    null,
                    "Authorization",
                    "Bearer " + READER.key())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void shouldAnswer429WithRetryAfterPastTheRateLimitAndCountItPerKey() throws Exception {
    HttpService http = start("127.0.0.1", Map.of("test.rate-limit", "0.2", "test.rate-burst", "2"));
    String url = http.baseUrl() + "/api/data";
    for (int i = 0; i < 2; i++) {
      assertThat(send(url, "GET", null, "Authorization", "Bearer " + READER.key()).statusCode())
          .isEqualTo(200);
    }
    HttpResponse<String> limited =
        send(url, "GET", null, "Authorization", "Bearer " + READER.key());
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 5));
    assertThat(send(url, "GET", null, "Authorization", "Bearer " + ADMIN.key()).statusCode())
        .as("another key's bucket")
        .isEqualTo(200);
    assertThat(send(http.baseUrl() + "/metrics", "GET", null).body())
        .contains("http_rate_limited_total{key=\"reader-x7\"")
        .doesNotContain("key=\"admin-x7\"");
  }

  private static BigInteger served(HttpResponse<?> response) throws Exception {
    return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0])
        .getSerialNumber();
  }

  private static HttpClient tlsClient(List<X509Certificate> trusted) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(TestCertificates.trusting(trusted));
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).build();
  }
}
