package io.oxbow.serving.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryGateTest {
  @Test
  void shouldRefuseAQueryAtOnceWhileEveryPlaceIsTakenAndTakeItAgainOnceOneIsFree() {
    QueryGate gate = new QueryGate(2);

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
}
