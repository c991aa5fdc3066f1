package io.oxbow.stream;

import static io.oxbow.stream.TopologyFixture.combined;
import static io.oxbow.stream.TopologyFixture.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.accesslog.ClientAddress;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.avro.Order;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrderAttributionTest {
  private static final String FIREFOX =
      "Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0";
  private static final String BOT =
      "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";

  private TopologyFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new TopologyFixture(Duration.ofMinutes(5), "");
    fx.range("83.149.0.0", "83.149.255.255", "RU");
    fx.range("93.184.0.0", "93.184.255.255", "US");
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void shouldAttributeAnOrderToTheClientsPageViewsOfTheLastThirtyMinutes() {
    fx.pipe(combined("83.149.9.216", "17/May/2015:09:40:00", "/too-early", 200, FIREFOX));
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:00:00", "/products/42", 200, FIREFOX));
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:01:00", "/style.css", 200, FIREFOX));
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:02:00", "/robots.txt", 200, BOT));
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:05:00", "/cart", 200, FIREFOX));
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:06:00", "/missing", 404, FIREFOX));
    Order order = order("o-1", "83.149.9.216", "2015-05-17T10:20:00Z");
    fx.orders.pipeInput("83.149.9.216", order);

    AttributedOrder out = fx.attributed.readValue();
    assertThat(out)
        .isEqualTo(
            AttributedOrder.newBuilder()
                .setOrderId("o-1")
                .setClientIp("83.149.9.216")
                .setCustomerId("c-o-1")
                .setAmount(new BigDecimal("19.9900"))
                .setCurrency("EUR")
                .setEventTime(Instant.parse("2015-05-17T10:20:00Z"))
                .setItems(List.of())
                .setAttributed(true)
                .setLandingPage("/products/42")
                .setReferrerDomain("example.org")
                .setCountry("RU")
                .setPagesViewed(2)
                .setFirstViewTime(Instant.parse("2015-05-17T10:00:00Z"))
                .build());
    assertThat(fx.metrics.count("oxbow.stream.orders", "attributed", "true")).isEqualTo(1);
  }

  @Test
  void shouldEmitAnOrderWithoutPageViewsAsUnattributed() {
    fx.pipe(combined("83.149.9.216", "17/May/2015:10:00:00", "/products/42", 200, FIREFOX));
    fx.orders.pipeInput("93.184.216.34", order("o-2", "93.184.216.34", "2015-05-17T10:20:00Z"));
    fx.orders.pipeInput("83.149.9.216", order("o-3", "83.149.9.216", "2015-05-17T10:31:00Z"));

    List<AttributedOrder> out = fx.attributed.readValuesToList();
    assertThat(out).hasSize(2);
    assertThat(out.get(0).getAttributed()).isFalse();
    assertThat(out.get(0).getCountry()).isEqualTo("US");
    assertThat(out.get(0).getPagesViewed()).isZero();
    assertThat(out.get(0).getLandingPage()).isNull();
    assertThat(out.get(1).getOrderId()).isEqualTo("o-3");
    assertThat(out.get(1).getAttributed()).as("the view is 31 minutes old").isFalse();
    assertThat(out.get(1).getCountry()).isEqualTo("RU");
    assertThat(fx.metrics.count("oxbow.stream.orders", "attributed", "false")).isEqualTo(2);
  }

  @Test
  void shouldAttributeAnOrderSentWithAnUncompressedUpperCaseIpv6Address() {
    fx.pipe(combined("2001:0DB8::0001", "17/May/2015:10:00:00", "/products/7", 200, FIREFOX));
    fx.pipe(combined("2001:db8::1", "17/May/2015:10:01:00", "/cart", 200, FIREFOX));
    // what the ingest app stores for "client_ip": "2001:DB8:0:0:0:0:0:1"
    String clientIp = ClientAddress.normalizeIp("2001:DB8:0:0:0:0:0:1");
    fx.orders.pipeInput(clientIp, order("o-6", clientIp, "2015-05-17T10:05:00Z"));

    AttributedOrder out = fx.attributed.readValue();
    assertThat(out.getClientIp()).isEqualTo("2001:db8::1");
    assertThat(out.getAttributed()).isTrue();
    assertThat(out.getPagesViewed()).isEqualTo(2);
    assertThat(out.getLandingPage()).isEqualTo("/products/7");
  }
}
