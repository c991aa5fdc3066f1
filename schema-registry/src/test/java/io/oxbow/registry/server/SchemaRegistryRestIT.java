package io.oxbow.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.server.Http.Answer;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST API end to end against a registry on a real broker. */
@ExtendWith(KafkaBackendExtension.class)
class SchemaRegistryRestIT {
  static final String V1 =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"long\"}]}";
  static final String V2 =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";
  static final String V2_NO_DEFAULT =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"age\",\"type\":\"int\"}]}";

  private static SchemaRegistryServer server;
  private static Http http;

  @BeforeAll
  static void start(KafkaBackend kafka) {
    server =
        SchemaRegistryServer.builder(kafka.bootstrapServers())
            .topic("_schemas-rest-" + UUID.randomUUID())
            .port(0)
            .start();
    http = new Http(server.url());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String subject() {
    return "s-" + UUID.randomUUID();
  }

  @Test
  void shouldRegisterLookUpListDeleteAndPurge() {
    String s = subject();
    Answer registered = http.post("/subjects/" + s + "/versions", Http.schemaBody(V1));
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
    int id = registered.json().get("id").asInt();
    assertThat(
            http.post("/subjects/" + s + "/versions", Http.schemaBody(V1)).json().get("id").asInt())
        .isEqualTo(id);

    Answer lookup = http.post("/subjects/" + s, Http.schemaBody(V1));
    assertThat(lookup.json().get("subject").asText()).isEqualTo(s);
    assertThat(lookup.json().get("version").asInt()).isEqualTo(1);
    assertThat(lookup.json().get("id").asInt()).isEqualTo(id);
    assertThat(lookup.json().has("schemaType")).isFalse();

    int id2 =
        http.post("/subjects/" + s + "/versions", Http.schemaBody(V2)).json().get("id").asInt();
    assertThat(http.get("/subjects/" + s + "/versions").body()).isEqualTo("[1,2]");
    assertThat(http.get("/subjects/" + s + "/versions/latest").json().get("id").asInt())
        .isEqualTo(id2);
    assertThat(http.get("/subjects/" + s + "/versions/1/schema").body())
        .isEqualTo(new org.apache.avro.Schema.Parser().parse(V1).toString());
    assertThat(http.get("/schemas/ids/" + id).json().get("schema").asText()).contains("User");
    assertThat(http.get("/schemas/ids/" + id2 + "/versions").body())
        .isEqualTo("[{\"subject\":\"" + s + "\",\"version\":2}]");
    assertThat(http.get("/subjects").json().toString()).contains(s);

    assertThat(http.delete("/subjects/" + s + "/versions/1?permanent=true").errorCode())
        .isEqualTo(40407);
    assertThat(http.delete("/subjects/" + s + "/versions/1").body()).isEqualTo("1");
    assertThat(http.delete("/subjects/" + s + "/versions/1").errorCode()).isEqualTo(40406);
    assertThat(http.get("/subjects/" + s + "/versions").body()).isEqualTo("[2]");
    assertThat(http.get("/subjects/" + s + "/versions?deleted=true").body()).isEqualTo("[1,2]");
    assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
    assertThat(http.get("/subjects/" + s + "/versions/1").errorCode()).isEqualTo(40402);
    assertThat(http.delete("/subjects/" + s + "/versions/1?permanent=true").body()).isEqualTo("1");

    assertThat(http.delete("/subjects/" + s + "?permanent=true").errorCode()).isEqualTo(40405);
    assertThat(http.delete("/subjects/" + s).body()).isEqualTo("[2]");
    Answer again = http.delete("/subjects/" + s);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.errorCode()).isEqualTo(40404);
    assertThat(http.get("/subjects").json().toString()).doesNotContain(s);
    assertThat(http.get("/subjects?deleted=true").json().toString()).contains(s);
    assertThat(http.get("/subjects/" + s + "/versions").errorCode()).isEqualTo(40401);
    assertThat(http.delete("/subjects/" + s + "?permanent=true").body()).isEqualTo("[2]");
    assertThat(http.get("/subjects?deleted=true").json().toString()).doesNotContain(s);
    assertThat(http.get("/schemas/ids/" + id2).errorCode()).isEqualTo(40403);
  }

  @Test
  void shouldConfigureCompatibility() {
    String s = subject();
    assertThat(http.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    Answer bad = http.put("/config/" + s, "{\"compatibility\":\"SIDEWAYS\"}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.errorCode()).isEqualTo(42203);
    Answer notSet = http.get("/config/" + s);
    assertThat(notSet.status()).isEqualTo(404);
    assertThat(notSet.errorCode()).isEqualTo(40408);
    assertThat(http.get("/config/" + s + "?defaultToGlobal=true").body())
        .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    assertThat(http.put("/config/" + s, "{\"compatibility\":\"forward\"}").body())
        .isEqualTo("{\"compatibility\":\"FORWARD\"}");
    assertThat(http.get("/config/" + s).body()).isEqualTo("{\"compatibilityLevel\":\"FORWARD\"}");
    http.post("/subjects/" + s + "/versions", Http.schemaBody(V1));
    assertThat(http.post("/subjects/" + s + "/versions", Http.schemaBody(V2_NO_DEFAULT)).status())
        .isEqualTo(200);
    assertThat(http.delete("/config/" + s).body())
        .isEqualTo("{\"compatibilityLevel\":\"FORWARD\"}");
    assertThat(http.delete("/config/" + s).errorCode()).isEqualTo(40401);
  }

  @Test
  void shouldTestCompatibilityWithAndWithoutVerbose() {
    String s = subject();
    String latest = "/compatibility/subjects/" + s + "/versions/latest";
    assertThat(http.post(latest, Http.schemaBody(V2_NO_DEFAULT)).body())
        .isEqualTo("{\"is_compatible\":true}");
    assertThat(
            http.post("/compatibility/subjects/" + s + "/versions/1", Http.schemaBody(V1))
                .errorCode())
        .isEqualTo(40402);
    http.post("/subjects/" + s + "/versions", Http.schemaBody(V1));
    assertThat(http.post(latest, Http.schemaBody(V2)).body()).isEqualTo("{\"is_compatible\":true}");
    assertThat(http.post(latest, Http.schemaBody(V2_NO_DEFAULT)).body())
        .isEqualTo("{\"is_compatible\":false}");
    Answer verbose = http.post(latest + "?verbose=true", Http.schemaBody(V2_NO_DEFAULT));
    assertThat(verbose.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.json().get("messages").toString())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(http.post("/compatibility/subjects/" + s + "/versions", Http.schemaBody(V2)).body())
        .isEqualTo("{\"is_compatible\":true}");
    assertThat(http.post(latest, Http.schemaBody("{\"type\":\"nope\"}")).errorCode())
        .isEqualTo(42201);
    Answer invalidVerbose =
        http.post(latest + "?verbose=true", Http.schemaBody("{\"type\":\"nope\"}"));
    assertThat(invalidVerbose.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(invalidVerbose.json().get("messages")).isNotEmpty();

    Answer refused = http.post("/subjects/" + s + "/versions", Http.schemaBody(V2_NO_DEFAULT));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.json().get("message").asText())
        .startsWith(
            "Schema being registered is incompatible with an earlier schema for subject \""
                + s
                + "\"");
  }

  @Test
  void shouldAnswerBadRequestsWithRegistryErrors() {
    String s = subject();
    Answer malformed = http.post("/subjects/" + s + "/versions", "{\"schema\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().get("message").asText()).contains("not valid JSON");
    Answer invalid =
        http.post("/subjects/" + s + "/versions", Http.schemaBody("{\"type\":\"recrd\"}"));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.errorCode()).isEqualTo(42201);
    assertThat(http.get("/subjects/" + s + "/versions/abc").errorCode()).isEqualTo(42202);
    assertThat(http.get("/subjects/" + s + "/versions/0").errorCode()).isEqualTo(42202);
    assertThat(http.get("/subjects/" + s + "/versions/1").errorCode()).isEqualTo(40401);
    assertThat(http.get("/schemas/ids/987654").body())
        .isEqualTo("{\"error_code\":40403,\"message\":\"Schema 987654 not found\"}");
    assertThat(http.post("/subjects/" + s, Http.schemaBody(V1)).errorCode()).isEqualTo(40401);
    Answer protobuf =
        http.post(
            "/subjects/" + s + "/versions", "{\"schema\":\"syntax\",\"schemaType\":\"PROTOBUF\"}");
    assertThat(protobuf.errorCode()).isEqualTo(42201);
    Answer huge =
        http.post("/subjects/" + s + "/versions", Http.schemaBody("x".repeat(17 * 1024 * 1024)));
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.errorCode()).isEqualTo(413);
    Answer unknownPath = http.get("/no/such/thing");
    assertThat(unknownPath.status()).isEqualTo(404);
    assertThat(unknownPath.body()).doesNotContain("Exception").contains("error_code");
  }

  @Test
  void shouldAcceptClientQuirks() {
    String s = "with space " + UUID.randomUUID();
    String encoded = s.replace(" ", "%20");
    Answer registered =
        http.call(
            "POST",
            "/subjects/" + encoded + "/versions/",
            "{\"schema\":" + Http.JSON.valueToTree(V1) + ",\"schemaType\":\"AVRO\",\"extra\":1}",
            "application/octet-stream");
    assertThat(registered.status()).isEqualTo(200);
    assertThat(
            http.call(
                    "GET",
                    "/subjects/" + encoded + "/versions?normalize=true&x=1",
                    null,
                    "application/vnd.schemaregistry+json")
                .body())
        .isEqualTo("[1]");
    assertThat(http.get("/").body()).isEqualTo("{}");
    assertThat(http.get("/mode").body()).isEqualTo("{\"mode\":\"READWRITE\"}");
    assertThat(http.get("/schemas/types").body()).isEqualTo("[\"AVRO\"]");
    assertThat(http.get("/contexts").body()).isEqualTo("[\".\"]");
    assertThat(http.get("/schemas?subjectPrefix=" + encoded).json())
        .singleElement()
        .satisfies(n -> assertThat(n.get("subject").asText()).isEqualTo(s));
  }

  @Test
  void shouldServeHealthAndMetrics() {
    assertThat(http.get("/health/live").status()).isEqualTo(200);
    Answer ready = http.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).contains("schemas-topic");
    assertThat(http.get("/metrics").body()).contains("schema_registry_schemas");
  }
}
