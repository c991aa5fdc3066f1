package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.Order;
import io.oxbow.runtime.http.ApiException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderParserTest {
  private final OrderParser parser = new OrderParser(IngestLimits.DEFAULTS);

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
    assertThat(OrderParser.clientIp("2001:db8::8a2e:370:7334"))
        .isEqualTo("2001:db8::8a2e:370:7334");
    assertThat(OrderParser.clientIp("10.1.2.3")).isEqualTo("10.1.2.3");
    assertThat(OrderParser.clientIp("example.com")).isNull();
    assertThat(OrderParser.clientIp("1.2.3")).isNull();
  }

  @Test
  void shouldStoreTheClientIpInTheFormPageViewsAreKeyedBy() {
    assertThat(parse(withField("client_ip", "\"2001:DB8:0:0:0:0:0:1\"")).get(0).getClientIp())
        .isEqualTo("2001:db8::1");
    assertThat(parse(withField("client_ip", "\"::FFFF:192.0.2.1\"")).get(0).getClientIp())
        .isEqualTo("::ffff:192.0.2.1");
    assertThat(parse(withField("client_ip", "\"2001:0db8::0001\"")).get(0).getClientIp())
        .isEqualTo("2001:db8::1");
  }

  @Test
  void shouldRefuseAZonedOrMalformedClientIpNamingTheField() {
    for (String ip : List.of("fe80::1%eth0", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "999.1.1.1")) {
      assertThatThrownBy(() -> parse(withField("client_ip", "\"" + ip + "\"")))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        err -> {
                          assertThat(err.field()).isEqualTo("client_ip");
                          assertThat(err.message()).contains(ip);
                        });
              });
    }
  }

  private static String withField(String field, String jsonValue) {
    return VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\")", "\"" + field + "\":" + jsonValue);
  }

  /** Runs the parse, expecting a 400 that names {@code field}, within {@code millis}. */
  private void assertFastBadRequest(String body, String field, long millis) {
    for (int i = 0; i < 3; i++) { // warm up the parser's code paths, as on a running service
      assertThatThrownBy(() -> parse(body)).isInstanceOf(ApiException.class);
    }
    long start = System.nanoTime();
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errors()).extracting(ApiException.FieldError::field).contains(field);
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(millis));
  }

  @Test
  void shouldRefuseAClientIpOfManyColonsQuickly() {
    // was quadratic: 40,000 colons took 14.8 s
    assertFastBadRequest(
        withField("client_ip", "\"" + ":".repeat(1_000_000) + "x\""), "client_ip", 100);
    assertFastBadRequest(withField("client_ip", "\"" + ":".repeat(200) + "x\""), "client_ip", 100);
    assertThat(OrderParser.clientIp(":".repeat(40) + "x")).isNull();
    assertThat(OrderParser.clientIp("::ffff:192.0.2.128")).isEqualTo("::ffff:192.0.2.128");
  }

  @Test
  void shouldRefuseEveryOverlongStringFieldBeforeParsingIt() {
    for (String field : List.of("order_id", "customer_id", "currency", "event_time")) {
      assertFastBadRequest(withField(field, "\"" + "9".repeat(257) + "\""), field, 100);
    }
  }

  @Test
  void shouldRefuseAnOverlongFieldNameWithoutEchoingIt() {
    String body = "{\"" + "n".repeat(100_000) + "\":1}";
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errors().toString()).hasSizeLessThan(500);
            });
  }

  @Test
  void shouldRefuseHugeExponentsBeforeAnyArithmetic() {
    // "1e8000000" took 2.7 s; "1e999999999" answered 500
    for (String amount :
        List.of(
            "\"1e8000000\"",
            "\"1e999999999\"",
            "\"1e-999999999\"",
            "1e999999999",
            "1E-999999999",
            "\"" + "1".repeat(65) + "\"",
            "\"0.00001\"",
            "\"123456789012345\"")) {
      assertFastBadRequest(withField("amount", amount), "amount", 100);
    }
  }

  @Test
  void shouldKeepExactDecimalsAtTheEdges() {
    assertThat(parse(withField("amount", "\"99999999999999.9999\"")).get(0).getAmount())
        .isEqualTo(new BigDecimal("99999999999999.9999"));
    assertThat(parse(withField("amount", "\"1.50000000\"")).get(0).getAmount())
        .isEqualTo(new BigDecimal("1.5000"));
    assertThat(parse(withField("amount", "\"0e999999999\"")).get(0).getAmount())
        .isEqualTo(new BigDecimal("0.0000"));
    assertThat(parse(withField("amount", "1.2E+3")).get(0).getAmount())
        .isEqualTo(new BigDecimal("1200.0000"));
  }

  @Test
  void shouldRefuseTooManyOrdersOrValuesBeforeValidatingAny() {
    OrderParser small = new OrderParser(new IngestLimits(10, 3, 50, 256, 256, 5, 10));
    String four = "[" + String.join(",", List.of(VALID, VALID, VALID, VALID)) + "]";
    assertThatThrownBy(() -> small.parse(four.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(413);
              assertThat(e.getMessage()).contains("ingest.max-orders");
            });
    String nested = "{\"colour\":[" + "1,".repeat(60) + "1]}";
    assertThatThrownBy(() -> small.parse(nested.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.getMessage()).contains("ingest.max-json-values"));
    assertThat(small.scan(("[" + VALID + "," + VALID + "]").getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new OrderParser.Shape(2, 15));
  }

  @Test
  void shouldListTheFirstErrorsAndCountAll() {
    String body = "[" + "{},".repeat(9_999) + "{}]";
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.errors()).hasSize(100);
              assertThat(e.getMessage())
                  .startsWith("60000 problem(s) in the orders (the first 100 listed)");
            });
  }
}
