package io.oxbow.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two registries on one _schemas topic, registering different schemas at the same time: every
 * schema gets its own id, both instances agree on every id, and the log never maps one id to two
 * schemas.
 */
@ExtendWith(KafkaBackendExtension.class)
class TwoInstancesRaceIT {
  private static final int PER_INSTANCE = 6;

  private static String schema(String name) {
    return "{\"type\":\"record\",\"name\":\""
        + name
        + "\",\"fields\":[{\"name\":\"f\",\"type\":\"long\"}]}";
  }

  @Test
  void shouldNeverGiveOneIdToTwoSchemas(KafkaBackend kafka) throws Exception {
    String topic = "_schemas-race-" + UUID.randomUUID();
    try (SchemaRegistryServer a = start(kafka, topic);
        SchemaRegistryServer b = start(kafka, topic)) {
      Http httpA = new Http(a.url());
      Http httpB = new Http(b.url());
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Map<String, Integer>> fromA = pool.submit(registrar(httpA, "A", go));
        Future<Map<String, Integer>> fromB = pool.submit(registrar(httpB, "B", go));
        go.countDown();
        Map<String, Integer> ids = new HashMap<>(fromA.get(60, TimeUnit.SECONDS));
        ids.putAll(fromB.get(60, TimeUnit.SECONDS));

        assertThat(ids).hasSize(2 * PER_INSTANCE);
        assertThat(ids.values()).doesNotHaveDuplicates();
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    ids.forEach(
                        (schema, id) -> {
                          String canonical = new Schema.Parser().parse(schema).toString();
                          assertThat(schemaOf(httpA, id)).isEqualTo(canonical);
                          assertThat(schemaOf(httpB, id)).isEqualTo(canonical);
                        }));
        // the same schema registered through both instances gets one id
        String shared = schema("Shared");
        int viaA = id(httpA.post("/subjects/shared/versions", Http.schemaBody(shared)).json());
        int viaB = id(httpB.post("/subjects/shared/versions", Http.schemaBody(shared)).json());
        assertThat(viaB).isEqualTo(viaA);
      } finally {
        pool.shutdownNow();
      }
    }
    Map<Integer, String> idToSchema = new HashMap<>();
    for (String line : RegistryRestartIT.readTopic(kafka, topic)) {
      int arrow = line.indexOf(" => {");
      if (arrow > 0 && line.startsWith("{\"keytype\":\"SCHEMA\"")) {
        JsonNode value = Http.JSON.readTree(line.substring(arrow + 4));
        String before =
            idToSchema.putIfAbsent(value.get("id").asInt(), value.get("schema").asText());
        assertThat(before == null || before.equals(value.get("schema").asText()))
            .as("id %s names one schema", value.get("id"))
            .isTrue();
      }
    }
    assertThat(idToSchema).hasSize(2 * PER_INSTANCE + 1);
  }

  private static Callable<Map<String, Integer>> registrar(
      Http http, String who, CountDownLatch go) {
    return () -> {
      go.await();
      Map<String, Integer> ids = new HashMap<>();
      List<String> schemas = new ArrayList<>();
      for (int i = 0; i < PER_INSTANCE; i++) {
        schemas.add(schema("R" + who + i));
      }
      for (int i = 0; i < schemas.size(); i++) {
        Http.Answer answer =
            http.post("/subjects/race-" + who + i + "/versions", Http.schemaBody(schemas.get(i)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        ids.put(schemas.get(i), id(answer.json()));
      }
      return ids;
    };
  }

  private static int id(JsonNode node) {
    return node.get("id").asInt();
  }

  private static String schemaOf(Http http, int id) {
    return http.get("/schemas/ids/" + id).json().path("schema").asText();
  }

  private static SchemaRegistryServer start(KafkaBackend kafka, String topic) {
    return SchemaRegistryServer.builder(kafka.bootstrapServers()).topic(topic).port(0).start();
  }
}
