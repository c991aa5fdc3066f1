package io.oxbow.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST client over TLS with {@code schema.registry.ssl.truststore.*}. */
class TlsClientIT {

  @Test
  void shouldTrustTheConfiguredTruststoreOnly(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("registry.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "registry",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).isTrue();

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext(
        "/subjects",
        exchange -> {
          byte[] body = "[\"tls-value\"]".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      String url = "https://127.0.0.1:" + server.getAddress().getPort();
      SchemaRegistryClient trusting =
          SchemaRegistryClients.create(
              Map.of(
                  "schema.registry.url",
                  url,
                  "schema.registry.ssl.truststore.location",
                  keystore.toString(),
                  "schema.registry.ssl.truststore.password",
                  "changeit",
                  "schema.registry.ssl.truststore.type",
                  "PKCS12"));
      assertThat(trusting.subjects()).containsExactly("tls-value");

      SchemaRegistryClient untrusting =
          SchemaRegistryClients.create(Map.of("schema.registry.url", url, "max.retries", "0"));
      assertThatThrownBy(untrusting::subjects)
          .isInstanceOfSatisfying(
              SchemaRegistryException.class, e -> assertThat(e.status()).isZero())
          .hasMessageContaining("cannot reach");
    } finally {
      server.stop(0);
    }
  }
}
