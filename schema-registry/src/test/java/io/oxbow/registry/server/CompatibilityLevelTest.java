package io.oxbow.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.registry.client.SchemaRegistryException;
import io.oxbow.registry.server.CompatibilityLevel.VersionedSchema;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The compatibility matrix of the spec (section 4) for all seven levels. */
class CompatibilityLevelTest {
  private static final String FIELDS =
      "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\",\"type\":\"string\"}";
  private static final Schema V1 = user(FIELDS);
  // v2 adds age:int without default: new reader cannot read v1 data (BACKWARD fails)
  private static final Schema V2_NO_DEFAULT = user(FIELDS + ",{\"name\":\"age\",\"type\":\"int\"}");
  // v2 adds age with a default: compatible both ways
  private static final Schema V2_DEFAULT =
      user(FIELDS + ",{\"name\":\"age\",\"type\":\"int\",\"default\":0}");
  // v0 lacked name; v1 has it without default; a candidate without "name" reads v1 but not v0
  private static final Schema V0 = user("{\"name\":\"id\",\"type\":\"long\"}");

  private static Schema user(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\",\"fields\":["
                + fields
                + "]}");
  }

  @ParameterizedTest(name = "{0}: v2 without default compatible={1}, with default={2}")
  @CsvSource({
    "NONE, true, true",
    "BACKWARD, false, true",
    "BACKWARD_TRANSITIVE, false, true",
    "FORWARD, true, true",
    "FORWARD_TRANSITIVE, true, true",
    "FULL, false, true",
    "FULL_TRANSITIVE, false, true"
  })
  void shouldMatchTheSpecExample(String level, boolean noDefault, boolean withDefault) {
    CompatibilityLevel l = CompatibilityLevel.parse(level.toLowerCase(java.util.Locale.ROOT));
    List<VersionedSchema> previous = List.of(new VersionedSchema(1, V1));
    assertThat(l.check(V2_NO_DEFAULT, previous).isEmpty()).isEqualTo(noDefault);
    assertThat(l.check(V2_DEFAULT, previous).isEmpty()).isEqualTo(withDefault);
  }

  @ParameterizedTest(name = "{0}: checks older versions = {1}")
  @CsvSource({
    "BACKWARD, false",
    "BACKWARD_TRANSITIVE, true",
    "FORWARD, false",
    "FORWARD_TRANSITIVE, true",
    "FULL, false",
    "FULL_TRANSITIVE, true"
  })
  void shouldCheckAllVersionsOnlyWhenTransitive(String level, boolean transitive) {
    // latest = v1 (id, name); oldest = v0 (id). Candidate adds a defaulted field to v1: fine
    // against v1 both ways. Against v0: as writer v0 lacks "name" (no default) -> backward fails;
    // as reader v0 ignores extra fields -> forward fine.
    Schema candidate = V2_DEFAULT;
    List<VersionedSchema> newestFirst =
        List.of(new VersionedSchema(2, V1), new VersionedSchema(1, V0));
    List<String> problems = CompatibilityLevel.valueOf(level).check(candidate, newestFirst);
    boolean backwardish = level.startsWith("BACKWARD") || level.startsWith("FULL");
    assertThat(problems.isEmpty()).isEqualTo(!(transitive && backwardish));
    if (!problems.isEmpty()) {
      assertThat(problems).contains("{oldSchemaVersion: 1}");
    }
  }

  @ParameterizedTest
  @CsvSource({"BACKWARD", "FULL_TRANSITIVE", "NONE"})
  void firstVersionAlwaysPasses(String level) {
    assertThat(CompatibilityLevel.valueOf(level).check(V2_NO_DEFAULT, List.of())).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"SIDEWAYS", "''"})
  void unknownLevelIs42203(String level) {
    assertThatThrownBy(() -> CompatibilityLevel.parse(level))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42203));
  }
}
