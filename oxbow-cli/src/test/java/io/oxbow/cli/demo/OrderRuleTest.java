package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrderRuleTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void aQualifyingSessionOrdersAtMostOnceAndTheRuleIsDeterministic() {
    List<Optional<OrderRule.DerivedOrder>> first = replay(new OrderRule(1.0));
    List<Optional<OrderRule.DerivedOrder>> second = replay(new OrderRule(1.0));
    assertThat(first).isEqualTo(second);
    assertThat(first.get(0)).isEmpty(); // the home page does not qualify
    OrderRule.DerivedOrder order = first.get(1).orElseThrow();
    assertThat(first.get(2)).isEmpty(); // same session: no second order
    assertThat(order.eventTime()).isEqualTo(T0.plusSeconds(60).plus(OrderRule.ORDER_DELAY));
    assertThat(order.amount()).isBetween(new BigDecimal("5.00"), new BigDecimal("204.99"));
    BigDecimal itemTotal =
        order.items().stream()
            .map(i -> (BigDecimal) i.get("price"))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(itemTotal).isEqualByComparingTo(order.amount());
    assertThat(order.toJson())
        .containsKeys("order_id", "client_ip", "customer_id", "amount", "currency", "event_time");
  }

  @Test
  void aNewSessionAfterThirtyMinutesCanOrderAgain() {
    OrderRule rule = new OrderRule(1.0);
    assertThat(rule.onRequest("10.0.0.1", "/files/a.zip", T0)).isPresent();
    assertThat(rule.onRequest("10.0.0.1", "/files/b.zip", T0.plus(Duration.ofMinutes(10))))
        .isEmpty();
    assertThat(rule.onRequest("10.0.0.1", "/files/c.zip", T0.plus(Duration.ofMinutes(45))))
        .isPresent();
  }

  @Test
  void theFractionControlsHowManySessionsOrder() {
    OrderRule none = new OrderRule(0.0);
    OrderRule some = new OrderRule(0.35);
    int ordered = 0;
    for (int i = 0; i < 2000; i++) {
      String client = "203.0.113." + (i % 250) + "-" + i;
      assertThat(none.onRequest(client, "/projects/x", T0)).isEmpty();
      if (some.onRequest(client, "/projects/x", T0).isPresent()) {
        ordered++;
      }
    }
    assertThat(ordered).isBetween(550, 850);
  }

  private static List<Optional<OrderRule.DerivedOrder>> replay(OrderRule rule) {
    return List.of(
        rule.onRequest("198.51.100.7", "/", T0),
        rule.onRequest("198.51.100.7", "/projects/xdotool/", T0.plusSeconds(60)),
        rule.onRequest("198.51.100.7", "/files/xdotool.tar.gz", T0.plusSeconds(90)));
  }
}
