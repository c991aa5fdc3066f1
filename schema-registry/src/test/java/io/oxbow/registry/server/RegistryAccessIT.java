package io.oxbow.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.client.SchemaRegistryClient;
import io.oxbow.registry.client.SchemaRegistryClients;
import io.oxbow.registry.client.SchemaRegistryException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.http.security.ApiKeyRing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every registry route, anonymously and with keys of each permission: reads need {@code read},
 * registering, configuration, mode and deletes need {@code admin}; refusals are the registry's JSON
 * errors (401/403) that never name the key; a Confluent-style client with {@code
 * basic.auth.user.info=NAME:KEY} works.
 */
@ExtendWith(KafkaBackendExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryAccessIT {
  private static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";
  private static final ApiKeyRing.Generated READER = ApiKeyRing.generate("reader-r2", "read");
  private static final ApiKeyRing.Generated ADMIN = ApiKeyRing.generate("admin-r2", "admin");
  private static final ApiKeyRing.Generated AGENT = ApiKeyRing.generate("agent-r2", "logs");

  /** Method, path and body of every route that reads. */
  private static final List<String[]> READS =
      List.of(
          new String[] {"GET", "/", null},
          new String[] {"GET", "/schemas/types", null},
          new String[] {"GET", "/contexts", null},
          new String[] {"GET", "/schemas", null},
          new String[] {"GET", "/schemas/ids/1", null},
          new String[] {"GET", "/schemas/ids/1/schema", null},
          new String[] {"GET", "/schemas/ids/1/versions", null},
          new String[] {"GET", "/schemas/ids/1/subjects", null},
          new String[] {"GET", "/subjects", null},
          new String[] {"GET", "/subjects/s/versions", null},
          new String[] {"GET", "/subjects/s/versions/1", null},
          new String[] {"GET", "/subjects/s/versions/1/schema", null},
          new String[] {"GET", "/subjects/s/versions/1/referencedby", null},
          new String[] {"POST", "/subjects/s", body()},
          new String[] {"POST", "/compatibility/subjects/s/versions/latest", body()},
          new String[] {"GET", "/config", null},
          new String[] {"GET", "/config/s", null},
          new String[] {"GET", "/mode", null},
          new String[] {"GET", "/mode/s", null});

  /** Method, path and body of every route that writes. */
  private static final List<String[]> WRITES =
      List.of(
          new String[] {"POST", "/subjects/w/versions", body()},
          new String[] {"PUT", "/config", "{\"compatibility\":\"NONE\"}"},
          new String[] {"PUT", "/config/s", "{\"compatibility\":\"NONE\"}"},
          new String[] {"DELETE", "/config/s", null},
          new String[] {"DELETE", "/config", null},
          new String[] {"DELETE", "/subjects/s/versions/1?permanent=true", null},
          new String[] {"DELETE", "/subjects/s?permanent=true", null});

  @TempDir static Path temp;

  private SchemaRegistryServer server;
  private Http http;

  @BeforeAll
  void start(KafkaBackend kafka) throws Exception {
    Path keys = temp.resolve("api-keys");
    Files.writeString(
        keys, String.join("\n", READER.configEntry(), ADMIN.configEntry(), AGENT.configEntry()));
    server =
        SchemaRegistryServer.builder(kafka.bootstrapServers())
            .topic("_schemas-access-" + UUID.randomUUID())
            .port(0)
            .security(
                RegistryCommand.SECURITY.read(
                    ConfigSource.ofFlags(Map.of("registry.api-key-file", keys.toString()))))
            .start();
    http = new Http(server.url());
    Http.Answer registered = call(new String[] {"POST", "/subjects/s/versions", body()}, ADMIN);
    assertThat(registered.status()).as(registered.body()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String body() {
    return Http.schemaBody(SCHEMA);
  }

  private Http.Answer call(String[] route, ApiKeyRing.Generated key) {
    String type = "application/vnd.schemaregistry.v1+json";
    if (key == null) {
      return http.call(route[0], route[1], route[2], type);
    }
    return http.call(route[0], route[1], route[2], type, "Authorization", "Bearer " + key.key());
  }

  @Test
  void shouldRefuseAnonymousCallsToEveryRouteWithTheRegistrysJson401() {
    for (String[] route : concat(READS, WRITES)) {
      Http.Answer answer = call(route, null);
      assertThat(answer.status()).as(route[0] + " " + route[1]).isEqualTo(401);
      assertThat(answer.errorCode()).as(route[1]).isEqualTo(401);
    }
  }

  @Test
  void shouldLetReadersReadAndOnlyAdminsWriteWithout403sNamingTheKey() {
    for (String[] route : READS) {
      assertThat(call(route, READER).status()).as(route[0] + " " + route[1]).isNotIn(401, 403);
      Http.Answer agent = call(route, AGENT);
      assertThat(agent.status()).as(route[1]).isEqualTo(403);
      assertThat(agent.body()).doesNotContain("agent-r2");
    }
    for (String[] route : WRITES) {
      Http.Answer reader = call(route, READER);
      assertThat(reader.status()).as(route[0] + " " + route[1]).isEqualTo(403);
      assertThat(reader.json().path("message").asText())
          .contains("\"admin\"")
          .doesNotContain("reader-r2");
    }
    for (String[] route : WRITES) {
      assertThat(call(route, ADMIN).status()).as(route[0] + " " + route[1]).isNotIn(401, 403);
    }
  }

  @Test
  void shouldServeAConfluentStyleClientSendingTheKeyAsTheBasicAuthPassword() {
    SchemaRegistryClient admin =
        SchemaRegistryClients.create(
            Map.of(
                "schema.registry.url",
                server.url(),
                "basic.auth.credentials.source",
                "USER_INFO",
                "basic.auth.user.info",
                "ingest:" + ADMIN.key()));
    Schema schema = new Schema.Parser().parse(SCHEMA.replace("\"U\"", "\"V\""));
    int id = admin.register("confluent-style", schema);
    SchemaRegistryClient reader =
        SchemaRegistryClients.create(
            Map.of(
                "schema.registry.url",
                server.url(),
                "basic.auth.credentials.source",
                "USER_INFO",
                "basic.auth.user.info",
                "stream:" + READER.key(),
                "max.retries",
                0));
    assertThat(reader.schemaById(id)).isEqualTo(schema);
    assertThatThrownBy(() -> reader.register("confluent-style", schema.getField("id").schema()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(403));
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("x:" + READER.key()).getBytes(StandardCharsets.UTF_8));
    assertThat(
            http.call("GET", "/subjects", null, "application/json", "Authorization", basic)
                .status())
        .isEqualTo(200);
    assertThat(http.get("/health/ready").status()).isEqualTo(200);
  }

  private static List<String[]> concat(List<String[]> a, List<String[]> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
