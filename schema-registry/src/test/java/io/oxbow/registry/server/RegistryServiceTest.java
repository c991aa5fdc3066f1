package io.oxbow.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.registry.client.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Register, look up, delete and configure with Confluent's semantics, on an in-memory log. */
class RegistryServiceTest {
  private static final String V1 =
      "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";
  private static final String V2 =
      "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
          + "{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";
  private static final String V2_NO_DEFAULT =
      "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
          + "{\"name\":\"age\",\"type\":\"int\"}]}";

  private final RecordingLog log = new RecordingLog();
  private final RegistryService registry = new RegistryService(log, CompatibilityLevel.BACKWARD);

  private static void assertCode(ThrowingCallable call, int status, int code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.errorCode()).isEqualTo(code);
            });
  }

  @Test
  void shouldGiveGlobalIdsAndReuseThemAcrossSubjects() {
    SchemaEntry a = registry.register("a-value", V1);
    assertThat(registry.register("a-value", " " + V1 + " ").id()).isEqualTo(a.id());
    SchemaEntry b = registry.register("b-value", V1);
    SchemaEntry a2 = registry.register("a-value", V2);
    assertThat(b.id()).isEqualTo(a.id());
    assertThat(b.version()).isEqualTo(1);
    assertThat(a2.id()).isEqualTo(a.id() + 1);
    assertThat(a2.version()).isEqualTo(2);
    assertThat(registry.versions("a-value", false)).containsExactly(1, 2);
    assertThat(registry.subjects(null, false)).containsExactly("a-value", "b-value");
    assertThat(registry.subjects("b", false)).containsExactly("b-value");
  }

  @Test
  void shouldWriteConfluentRecordsToTheLog() {
    registry.register("orders-value", V1);
    assertThat(log.text(0))
        .isEqualTo(
            "{\"keytype\":\"SCHEMA\",\"subject\":\"orders-value\",\"version\":1,\"magic\":1} => "
                + "{\"subject\":\"orders-value\",\"version\":1,\"id\":1,\"schema\":"
                + "\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"User\\\",\\\"fields\\\":"
                + "[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\"}]}\",\"deleted\":false}");
    registry.admin().setLevel("orders-value", CompatibilityLevel.FULL);
    assertThat(log.text(1))
        .isEqualTo(
            "{\"keytype\":\"CONFIG\",\"subject\":\"orders-value\",\"magic\":0} => "
                + "{\"compatibilityLevel\":\"FULL\",\"subject\":\"orders-value\"}");
    registry.admin().setLevel(null, CompatibilityLevel.NONE);
    assertThat(log.text(2))
        .isEqualTo("{\"keytype\":\"CONFIG\",\"magic\":0} => {\"compatibilityLevel\":\"NONE\"}");
    registry.admin().deleteSubject("orders-value", false);
    assertThat(log.text(3))
        .isEqualTo(
            "{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"orders-value\",\"magic\":0} => "
                + "{\"subject\":\"orders-value\",\"version\":1}");
  }

  @Test
  void shouldRefuseIncompatibleAndInvalid() {
    registry.register("s", V1);
    assertCode(() -> registry.register("s", V2_NO_DEFAULT), 409, 409);
    assertCode(() -> registry.register("s", "{\"type\":\"recrd\"}"), 422, 42201);
    assertCode(() -> registry.register("s", "not json"), 422, 42201);
    assertCode(() -> registry.register("", V1), 422, 42208);
    registry.admin().setLevel("s", CompatibilityLevel.FORWARD);
    assertThat(registry.register("s", V2_NO_DEFAULT).version()).isEqualTo(2);
  }

  @Test
  void shouldFollowTheDeleteLifecycle() {
    SchemaEntry v1 = registry.register("s", V1);
    registry.register("s", V2);
    assertCode(() -> registry.admin().deleteVersion("s", "1", true), 404, 40407);
    assertThat(registry.admin().deleteVersion("s", "1", false)).isEqualTo(1);
    assertCode(() -> registry.admin().deleteVersion("s", "1", false), 404, 40406);
    assertThat(registry.schemaById(v1.id())).isEqualTo(v1.schema());
    assertCode(() -> registry.version("s", "1", false), 404, 40402);
    assertThat(registry.version("s", "1", true).deleted()).isTrue();
    assertCode(() -> registry.admin().deleteSubject("s", true), 404, 40405);
    assertThat(registry.admin().deleteSubject("s", false)).containsExactly(2);
    assertCode(() -> registry.admin().deleteSubject("s", false), 404, 40404);
    assertCode(() -> registry.versions("s", false), 404, 40401);
    assertThat(registry.subjects(null, true)).containsExactly("s");
    assertThat(registry.admin().deleteSubject("s", true)).containsExactly(1, 2);
    assertCode(() -> registry.schemaById(v1.id()), 404, 40403);
    assertThat(registry.register("s", V2).version()).isEqualTo(1);
  }

  @Test
  void shouldReuseTheIdOfASoftDeletedSchemaUnderANewVersion() {
    SchemaEntry v1 = registry.register("s", V1);
    registry.admin().deleteVersion("s", "1", false);
    SchemaEntry again = registry.register("s", V1);
    assertThat(again.id()).isEqualTo(v1.id());
    assertThat(again.version()).isEqualTo(2);
    assertThat(registry.versions("s", true)).containsExactly(2);
  }

  @Test
  void shouldParseVersions() {
    registry.register("s", V1);
    assertThat(registry.version("s", "latest", false).version()).isEqualTo(1);
    assertThat(registry.version("s", "-1", false).version()).isEqualTo(1);
    assertCode(() -> registry.version("s", "0", false), 422, 42202);
    assertCode(() -> registry.version("s", "x", false), 422, 42202);
    assertCode(() -> registry.version("s", "2147483648", false), 422, 42202);
    assertCode(() -> registry.version("s", "7", false), 404, 40402);
    assertCode(() -> registry.version("nope", "1", false), 404, 40401);
  }

  @Test
  void shouldLookUpAndTestCompatibility() {
    registry.register("s", V1);
    assertThat(registry.lookup("s", V1, false).version()).isEqualTo(1);
    assertCode(() -> registry.lookup("s", V2, false), 404, 40403);
    assertCode(() -> registry.lookup("x", V1, false), 404, 40401);
    assertThat(registry.testCompatibility("s", "latest", V2)).isEmpty();
    assertThat(registry.testCompatibility("s", null, V2_NO_DEFAULT)).isNotEmpty();
    assertThat(registry.testCompatibility("empty", "latest", V2_NO_DEFAULT)).isEmpty();
    assertCode(() -> registry.testCompatibility("empty", "1", V2), 404, 40402);
  }

  @Test
  void shouldConfigureLevels() {
    assertThat(registry.admin().globalLevel()).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(registry.admin().level("s")).isEmpty();
    registry.admin().setLevel("s", CompatibilityLevel.FULL);
    assertThat(registry.admin().level("s")).contains(CompatibilityLevel.FULL);
    assertThat(registry.admin().deleteLevel("s")).isEqualTo(CompatibilityLevel.FULL);
    assertCode(() -> registry.admin().deleteLevel("s"), 404, 40401);
  }

  @Test
  void shouldRebuildTheSameStateFromTheLog() {
    registry.register("a", V1);
    registry.register("a", V2);
    registry.register("b", V2);
    registry.admin().deleteVersion("a", "1", false);
    registry.admin().setLevel("b", CompatibilityLevel.NONE);
    RegistryState replayed = new RegistryState();
    log.records.forEach(r -> replayed.apply(r.key(), r.value()));
    assertThat(replayed.versions("a")).isEqualTo(log.state().versions("a"));
    assertThat(replayed.versions("b")).isEqualTo(log.state().versions("b"));
    assertThat(replayed.config("b")).contains(CompatibilityLevel.NONE);
    assertThat(replayed.maxId()).isEqualTo(2);
  }

  @Test
  void shouldSkipUnknownAndForeignRecords() {
    RegistryState state = new RegistryState();
    state.apply(bytes("{\"keytype\":\"NOOP\",\"magic\":0}"), null);
    state.apply(bytes("{\"keytype\":\"CONTEXT\",\"magic\":0}"), bytes("{}"));
    state.apply(bytes("{\"keytype\":\"FUTURE\",\"magic\":0}"), bytes("{}"));
    state.apply(
        bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"p\",\"version\":1,\"magic\":1}"),
        bytes(
            "{\"subject\":\"p\",\"version\":1,\"id\":5,\"schemaType\":\"AVRO\",\"guid\":\"x\","
                + "\"schema\":\"\\\"int\\\"\",\"deleted\":false}"));
    state.apply(
        bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"q\",\"version\":1,\"magic\":1}"),
        bytes(
            "{\"subject\":\"q\",\"version\":1,\"id\":6,\"schemaType\":\"PROTOBUF\","
                + "\"schema\":\"syntax\",\"deleted\":false}"));
    state.apply(
        bytes("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}"),
        bytes("{\"compatibilityLevel\":\"FULL\"}"));
    assertThat(state.subjects(true)).containsExactly("p");
    assertThat(state.schemaById(5)).contains("\"int\"");
    assertThat(state.config(null)).contains(CompatibilityLevel.FULL);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** An in-memory log that keeps its records for inspection. */
  private static final class RecordingLog implements RegistryLog {
    final List<LogRecord> records = new ArrayList<>();
    final RegistryState state = new RegistryState();

    String text(int i) {
      LogRecord r = records.get(i);
      return new String(r.key(), StandardCharsets.UTF_8)
          + " => "
          + (r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8));
    }

    @Override
    public RegistryState state() {
      return state;
    }

    @Override
    public synchronized <T> T write(WriteOperation<T> operation) {
      Write<T> w = operation.plan(state);
      w.records().forEach(r -> state.apply(r.key(), r.value()));
      records.addAll(w.records());
      return w.result();
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public void close() {}
  }
}
