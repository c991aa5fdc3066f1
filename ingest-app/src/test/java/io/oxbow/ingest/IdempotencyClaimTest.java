package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;

/** The reservation of an Idempotency-Key and its lookup, without a broker (nothing is read). */
class IdempotencyClaimTest {
  private static IdempotencyStore store() {
    return new IdempotencyStore(
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"),
        "idem",
        Duration.ofHours(1),
        100,
        10,
        Clock.systemUTC());
  }

  @Test
  void shouldSeeAKeyCommittedByARequestThatHeldItBefore() throws Exception {
    try (IdempotencyStore store = store()) {
      Optional<IdempotencyStore.Claim> first = store.claim("logs anonymous k", Duration.ZERO);
      assertThat(first).isPresent();
      assertThat(first.get().seen()).isEmpty();

      // a concurrent request with the same key is refused while the first holds it
      assertThat(store.claim("logs anonymous k", Duration.ZERO)).isEmpty();

      IdempotencyStore.Entry entry =
          new IdempotencyStore.Entry(3, "ab".repeat(32), System.currentTimeMillis());
      store.committed("logs anonymous k", entry);
      first.get().close();

      // the lookup happens under the reservation: the retry sees the answer, never writes again
      try (IdempotencyStore.Claim retry =
          store.claim("logs anonymous k", Duration.ZERO).orElseThrow()) {
        assertThat(retry.seen()).map(IdempotencyStore.Entry::accepted).contains(3);
      }
    }
  }
}
