package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.Order;
import io.oxbow.runtime.http.ApiException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderParserTest {
  private final OrderParser parser = new OrderParser();

  private List<Order> parse(String json) {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static final String VALID =
      "{\"order_id\":\"o1\",\"client_ip\":\"192.0.2.1\",\"customer_id\":\"c1\","
          + "\"amount\":\"10.25\",\"currency\":\"JPY\",\"event_time\":\"2026-01-02T03:04:05.678Z\"}";

  @Test
  void shouldParseASingleObjectWithScaledAmountAndNoItems() {
    Order order = parse(VALID).get(0);
    assertThat(order.getAmount()).isEqualTo(new BigDecimal("10.2500"));
    assertThat(order.getEventTime()).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
    assertThat(order.getItems()).isEmpty();
  }

  @Test
  void shouldNameEveryBadFieldWithItsIndex() {
    String body =
        "["
            + VALID
            + ",{\"order_id\":\"\",\"client_ip\":\"999.1.1.1\",\"amount\":1e30,"
            + "\"currency\":\"usd\",\"event_time\":\"2026-01-02\",\"colour\":\"red\","
            + "\"items\":[{\"sku\":\"a\",\"quantity\":1.5,\"price\":\"x\"}]}]";
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errors())
                  .extracting(ApiException.FieldError::field)
                  .containsExactlyInAnyOrder(
                      "colour",
                      "order_id",
                      "client_ip",
                      "customer_id",
                      "amount",
                      "currency",
                      "event_time",
                      "items[0].quantity",
                      "items[0].price");
              assertThat(e.errors()).allMatch(err -> err.index() == 1);
            });
  }

  @Test
  void shouldRejectWhatIsNotAnObjectOrArray() {
    assertThatThrownBy(() -> parse("42")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> parse("[1]"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.errors().get(0).index()).isZero());
  }

  @Test
  void shouldAcceptIpv6AndRejectHostNames() {
    assertThat(OrderParser.isIpAddress("2001:db8::8a2e:370:7334")).isTrue();
    assertThat(OrderParser.isIpAddress("10.1.2.3")).isTrue();
    assertThat(OrderParser.isIpAddress("example.com")).isFalse();
    assertThat(OrderParser.isIpAddress("1.2.3")).isFalse();
  }
}
