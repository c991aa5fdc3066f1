package io.oxbow.runtime.http.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyRingTest {
  @TempDir Path temp;

  @Test
  void shouldFindKeysByTheirSecretWithTheirPermissions() {
    ApiKeyRing.Generated agent = ApiKeyRing.generate("agent", "logs");
    ApiKeyRing.Generated ops = ApiKeyRing.generate("ops", "*");
    ApiKeyRing.Generated admin = ApiKeyRing.generate("dba", "admin");
    ApiKeyRing ring =
        ApiKeyRing.parse(
            agent.configEntry() + "," + ops.configEntry() + "\n" + admin.configEntry());

    ApiKey found = ring.find(agent.key()).orElseThrow();
    assertThat(found.name()).isEqualTo("agent");
    assertThat(found.may(Permission.LOGS)).isTrue();
    assertThat(found.may(Permission.ORDERS)).isFalse();
    assertThat(found.may(Permission.READ)).isFalse();
    assertThat(ring.find(ops.key()).orElseThrow().permissions())
        .containsExactlyInAnyOrder(Permission.values());
    assertThat(ring.find(admin.key()).orElseThrow().may(Permission.READ))
        .as("admin implies read")
        .isTrue();
    assertThat(ring.find(agent.key() + "x")).isEmpty();
    assertThat(agent.key()).startsWith("oxb_").hasSize(47);
  }

  @Test
  void shouldReadAKeyFileWithCommentsAndBlankLines() throws Exception {
    ApiKeyRing.Generated reader = ApiKeyRing.generate("dashboard", "read");
    Path file = temp.resolve("keys");
    Files.writeString(file, "# keys of the team\n\n" + reader.configEntry() + "\n");
    ApiKeyRing ring = ApiKeyRing.load(file);
    assertThat(ring.find(reader.key()).orElseThrow().name()).isEqualTo("dashboard");
    assertThat(ring.toString()).isEqualTo("1 API key(s)").doesNotContain("dashboard");
    assertThatThrownBy(() -> ApiKeyRing.load(temp.resolve("missing")))
        .hasMessageContaining("cannot read the key file");
  }

  @Test
  void shouldNameTheBadEntryWithoutRepeatingItsHash() {
    ApiKeyRing.Generated key = ApiKeyRing.generate("k", "logs");
    assertThatThrownBy(() -> ApiKeyRing.parse("agent:abc:logs"))
        .hasMessageContaining("\"agent\"")
        .hasMessageNotContaining("abc");
    assertThatThrownBy(() -> ApiKeyRing.parse(key.configEntry().replace(":logs", ":write")))
        .hasMessageContaining("write")
        .hasMessageContaining("known: logs, orders, read, admin, *")
        .hasMessageNotContaining(key.sha256Hex());
    assertThatThrownBy(() -> ApiKeyRing.generate("a:b", "read"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ApiKeyRing.parse(" ").isEmpty()).isTrue();
  }
}
