package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.http.ApiException;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  @Test
  void shouldAcceptAGeneratedKeyOnlyWhereItsPermissionsAllow() {
    ApiKeys.Generated agent = ApiKeys.generate("agent", "logs");
    ApiKeys.Generated admin = ApiKeys.generate("admin", "*");
    ApiKeys keys = ApiKeys.parse(agent.configEntry() + "," + admin.configEntry());

    assertThat(keys.authorize("Bearer " + agent.key(), ApiKeys.LOGS)).isEqualTo("agent");
    assertThat(keys.authorize("bearer " + admin.key(), ApiKeys.ORDERS)).isEqualTo("admin");
    assertThatThrownBy(() -> keys.authorize("Bearer " + agent.key(), ApiKeys.ORDERS))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    assertThatThrownBy(() -> keys.authorize(null, ApiKeys.LOGS))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThatThrownBy(() -> keys.authorize("Bearer " + agent.key() + "x", ApiKeys.LOGS))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void shouldStoreOnlyTheHash() {
    ApiKeys.Generated key = ApiKeys.generate("k", "logs");
    assertThat(key.configEntry()).doesNotContain(key.key()).contains(key.sha256Hex());
  }

  @Test
  void shouldNameABadEntry() {
    assertThatThrownBy(() -> ApiKeys.parse("agent:abc:logs"))
        .hasMessageContaining("agent:abc:logs");
    ApiKeys.Generated key = ApiKeys.generate("k", "logs");
    assertThatThrownBy(() -> ApiKeys.parse(key.configEntry().replace(":logs", ":write")))
        .hasMessageContaining("write");
  }

  @Test
  void shouldLetEveryoneInWithoutKeys() {
    assertThat(ApiKeys.parse(" ").enabled()).isFalse();
    assertThat(ApiKeys.none().authorize(null, ApiKeys.LOGS)).isEqualTo("anonymous");
  }
}
