package io.oxbow.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.server.SchemaRegistryServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST client against a registry with basic auth: failover, retries, typed errors. */
@ExtendWith(KafkaBackendExtension.class)
class RestSchemaRegistryClientIT {
  private static final Schema USER =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}");
  private static SchemaRegistryServer server;

  @BeforeAll
  static void start(KafkaBackend kafka) {
    server =
        SchemaRegistryServer.builder(kafka.bootstrapServers())
            .topic("_schemas-client-" + UUID.randomUUID())
            .port(0)
            .basicAuth("ann:s3cret")
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static SchemaRegistryClient client(Object... pairs) {
    Map<String, Object> config = new HashMap<>();
    config.put("retries.wait.ms", 10);
    for (int i = 0; i < pairs.length; i += 2) {
      config.put((String) pairs[i], pairs[i + 1]);
    }
    return SchemaRegistryClients.create(config);
  }

  @Test
  void shouldFailOverToTheNextUrlAndAuthenticateWithUserInfo() {
    SchemaRegistryClient client =
        client(
            "schema.registry.url", "http://127.0.0.1:1," + server.url(),
            "basic.auth.credentials.source", "USER_INFO",
            "basic.auth.user.info", "ann:s3cret");
    String subject = "users-" + UUID.randomUUID();
    int id = client.register(subject, USER);
    assertThat(client.lookup(subject, USER))
        .isEqualTo(new RegisteredSchema(subject, 1, id, USER.toString()));
    assertThat(client.schemaById(id)).isEqualTo(USER);
    assertThat(client.versions(subject)).containsExactly(1);
    assertThat(client.latest(subject).id()).isEqualTo(id);
    assertThat(client.subjects()).contains(subject);
    assertThat(client.isCompatible(subject, USER)).isTrue();
    assertThat(client.updateCompatibility(Optional.of(subject), "full")).isEqualTo("FULL");
    assertThat(client.compatibility(Optional.of(subject))).isEqualTo("FULL");
    assertThat(client.deleteSubject(subject, false)).containsExactly(1);
    assertThat(client.deleteSubject(subject, true)).containsExactly(1);
  }

  @Test
  void shouldTakeCredentialsFromTheUrl() {
    String withUser = server.url().replace("http://", "http://ann:s3cret@");
    assertThat(client("schema.registry.url", withUser).subjects()).isNotNull();
  }

  @Test
  void shouldSurfaceStatusAndErrorCode() {
    SchemaRegistryClient anonymous = client("schema.registry.url", server.url());
    assertThatThrownBy(anonymous::subjects)
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(401));
    SchemaRegistryClient client =
        client(
            "schema.registry.url",
            server.url(),
            "basic.auth.credentials.source",
            "USER_INFO",
            "basic.auth.user.info",
            "ann:s3cret");
    assertThatThrownBy(() -> client.latest("missing-" + UUID.randomUUID()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(40401);
              assertThat(e.isNotFound()).isTrue();
            });
  }

  @Test
  void shouldRetryServerErrorsWithBackoff() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    HttpServer flaky = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    flaky.createContext(
        "/",
        exchange -> {
          boolean fail = calls.incrementAndGet() <= 2;
          byte[] body =
              (fail ? "{\"error_code\":50001,\"message\":\"store\"}" : "[\"a-value\"]")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    flaky.start();
    try {
      String url = "http://127.0.0.1:" + flaky.getAddress().getPort();
      assertThat(client("schema.registry.url", url).subjects()).containsExactly("a-value");
      assertThat(calls.get()).isEqualTo(3);
      calls.set(-100);
      assertThatThrownBy(() -> client("schema.registry.url", url, "max.retries", "1").subjects())
          .isInstanceOfSatisfying(
              SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(50001));
      assertThat(calls.get()).isEqualTo(-98);
    } finally {
      flaky.stop(0);
    }
  }
}
