package io.oxbow.serving.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueryGateTest {
  @Test
  void shouldRefuseAQueryAtOnceWhileEveryPlaceIsTakenAndTakeItAgainOnceOneIsFree() {
    QueryGate gate = new QueryGate(2, Duration.ZERO);

    QueryGate.Place first = gate.enter();
    try (QueryGate.Place second = gate.enter()) {
      assertThat(gate.taken()).isEqualTo(2);
      assertThatThrownBy(gate::enter)
          .isInstanceOf(QueryGate.Busy.class)
          .hasMessageStartingWith("query: 2 queries are being answered, the most at once");
    }
    first.close();

    assertThat(gate.taken()).isZero();
    try (QueryGate.Place again = gate.enter()) {
      assertThat(gate.taken()).isEqualTo(1);
    }
  }

  @Test
  void shouldLetAQueryWaitingForAPlaceInOnceOneIsFree() throws Exception {
    QueryGate gate = new QueryGate(1, Duration.ofSeconds(30));
    QueryGate.Place held = gate.enter();

    CompletableFuture<Integer> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try (QueryGate.Place place = gate.enter()) {
                return gate.taken();
              }
            });
    held.close();

    assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(gate.taken()).isZero();
  }
}
