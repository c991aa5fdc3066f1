package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.runtime.config.ConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default transactional-id prefix: one per instance, the same across its restarts. */
class TransactionalIdsTest {
  @Test
  void shouldNameHostAndPortSoARestartKeepsItAndAnotherPortDiffers() {
    String first = TransactionalIds.defaultPrefix("ingest-7f9c", 8080, "aaaa");
    String restarted = TransactionalIds.defaultPrefix("ingest-7f9c", 8080, "bbbb");
    String otherPort = TransactionalIds.defaultPrefix("ingest-7f9c", 8081, "aaaa");
    String otherHost = TransactionalIds.defaultPrefix("ingest-a41d", 8080, "aaaa");

    assertThat(first).isEqualTo("oxbow-ingest-ingest-7f9c-8080").isEqualTo(restarted);
    assertThat(otherPort).isNotEqualTo(first);
    assertThat(otherHost).isNotEqualTo(first);
  }

  @Test
  void shouldUseTheRandomSuffixOnAFreePortAndKeepIdsPlain() {
    assertThat(TransactionalIds.defaultPrefix("host", 0, "1a2b3c4d"))
        .isEqualTo("oxbow-ingest-host-random-1a2b3c4d");
    assertThat(TransactionalIds.defaultPrefix("a b:c/d", 80, "x"))
        .isEqualTo("oxbow-ingest-a_b_c_d-80");
    assertThat(TransactionalIds.defaultPrefix(" ", 80, "x")).isEqualTo("oxbow-ingest-localhost-80");
  }

  @Test
  void shouldKeepAGivenPrefixAndDeriveOneOtherwise() {
    IngestConfig given =
        IngestConfig.from(
            ConfigSource.ofFlags(Map.of(IngestConfig.TRANSACTIONAL_ID_PREFIX.key(), "edge-1")));
    IngestConfig derived = IngestConfig.from(ConfigSource.ofFlags(Map.of()));

    assertThat(given.transactionalIdPrefix()).isEqualTo("edge-1");
    assertThat(derived.transactionalIdPrefix()).startsWith("oxbow-ingest-").endsWith("-8080");
  }
}
