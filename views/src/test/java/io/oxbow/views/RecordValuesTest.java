package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.views.metric.MetricValue;
import io.oxbow.views.record.Filter;
import io.oxbow.views.record.RecordFields;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Derived values, filters and the reading of specific and generic records. */
class RecordValuesTest {
  private static final String LINE =
      "66.249.73.135 - - [17/May/2015:10:05:40 +0000] \"GET /blog/tags/ipv6?x=1 HTTP/1.1\" 503 4877"
          + " \"https://User@Www.Example.COM:8443/a?b\" \"Googlebot/2.1\"";

  private static Object value(String name, GenericRecord record) {
    Source source = record instanceof AttributedOrder ? Source.ORDERS : Source.ACCESS_LOGS;
    return RecordFields.resolve(source, name).extract(record);
  }

  @Test
  void shouldDeriveDimensionsFromAnAccessLogEvent() {
    AccessLogEvent event = SampleData.parse(LINE);
    event.put("path", "/blog/tags/ipv6?still=query");

    assertThat(value("status_class", event)).isEqualTo("5xx");
    assertThat(value("path", event)).isEqualTo("/blog/tags/ipv6");
    assertThat(value("referrer_domain", event)).isEqualTo("example.com");
    assertThat(value("hour_of_day", event)).isEqualTo(10L);
    assertThat(value("is_bot", event)).isEqualTo(true);
    assertThat(value("bot_reason", event)).isEqualTo("user-agent");
    event.put("is_bot", false);
    assertThat(value("bot_reason", event)).isEqualTo("none");
    assertThat(value("client_kind", event)).isEqualTo("IPV4");
    assertThat(value("bytes", event)).isEqualTo(4877L);
  }

  @Test
  void shouldReadDecimalAmountsExactlyFromSpecificAndGenericOrders() {
    List<AttributedOrder> orders = SampleData.orders(11).subList(0, 400);
    ViewFolder revenue = ViewCatalog.defaults().folder("revenue");
    BigDecimal expected =
        orders.stream().map(AttributedOrder::getAmount).reduce(BigDecimal.ZERO, BigDecimal::add);

    Aggregate specific = revenue.identity();
    Aggregate generic = revenue.identity();
    for (AttributedOrder order : orders) {
      revenue.add(specific, order);
      revenue.add(generic, SampleData.toGeneric(order));
    }

    Map<String, MetricValue> out = revenue.readOut(generic);
    assertThat(((MetricValue.Exact) out.get("revenue")).value()).isEqualTo(expected);
    assertThat(expected.scale()).isEqualTo(4);
    assertThat(generic.state("revenue").toBytes()).isEqualTo(specific.state("revenue").toBytes());
    // KLL compaction is randomized: two folds of the same values agree on n, min and max
    Map<String, MetricValue> fromSpecific = revenue.readOut(specific);
    assertThat(out.get("orders")).isEqualTo(fromSpecific.get("orders"));
    assertThat(out.get("customers")).isEqualTo(fromSpecific.get("customers"));
    MetricValue.Quantiles quantiles = (MetricValue.Quantiles) out.get("order_value_quantiles");
    MetricValue.Quantiles other = (MetricValue.Quantiles) fromSpecific.get("order_value_quantiles");
    assertThat(List.of(quantiles.n(), quantiles.min(), quantiles.max()))
        .isEqualTo(List.of(other.n(), other.min(), other.max()));
  }

  @Test
  void shouldFilterByComparisons() {
    AccessLogEvent event = SampleData.parse(LINE);
    Filter filter =
        Filter.parse(
            "status >= 500 AND status_class = '5xx' and referrer != null and bytes < 4877.5"
                + " and is_bot == true and user = null",
            name -> RecordFields.resolve(Source.ACCESS_LOGS, name));

    assertThat(filter.test(event)).isTrue();
    event.put("status", 499);
    assertThat(filter.test(event)).isFalse();
    Filter nullBytes =
        Filter.parse("bytes > 0", name -> RecordFields.resolve(Source.ACCESS_LOGS, name));
    event.put("bytes", null);
    assertThat(nullBytes.test(event)).isFalse();
    assertThatThrownBy(
            () -> Filter.parse("is_bot > true", n -> RecordFields.resolve(Source.ACCESS_LOGS, n)))
        .hasMessageContaining("compares boolean 'is_bot' with true using >");
    assertThatThrownBy(
            () ->
                Filter.parse("status >= 4 or x", n -> RecordFields.resolve(Source.ACCESS_LOGS, n)))
        .hasMessageContaining("at character 13: expected 'and'");
  }

  @Test
  void shouldNameTheViewAndFieldOfAnUnusableRecord() {
    Schema other =
        SchemaBuilder.record("Click")
            .fields()
            .requiredLong("event_time")
            .requiredString("client")
            .endRecord();
    GenericRecord click = new GenericData.Record(other);
    click.put("event_time", Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    click.put("client", "10.0.0.1");
    ViewFolder traffic = ViewCatalog.defaults().folder("traffic");

    assertThatThrownBy(() -> traffic.key(click))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage(
            "view 'traffic': dimension 'country': record of schema Click has no field 'country'");
    AccessLogEvent noTime = SampleData.parse(LINE);
    noTime.put("event_time", null);
    assertThatThrownBy(() -> traffic.key(noTime))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("view 'traffic': event_time: record of schema")
        .hasMessageContaining("has no event time");
  }

  @Test
  void shouldLeaveTheAggregateUnchangedWhenARecordCannotBeFolded() {
    ViewFolder sizes =
        ViewCatalog.parse(
                "views:\n"
                    + "  - {name: sizes, source: access-logs.enriched, window: 1m, dimensions: [],\n"
                    + "     metrics: [{name: n, type: count}, {name: b, type: quantiles, field: bytes}]}\n",
                "test")
            .folder("sizes");
    Schema schema =
        SchemaBuilder.record("Sized")
            .fields()
            .requiredLong("event_time")
            .requiredString("bytes")
            .endRecord();
    GenericRecord good = new GenericData.Record(schema);
    good.put("event_time", 0L);
    good.put("bytes", "12");
    GenericRecord bad = new GenericData.Record(schema);
    bad.put("event_time", 0L);
    bad.put("bytes", "twelve");
    Aggregate aggregate = sizes.identity();

    assertThatThrownBy(() -> sizes.add(aggregate, bad))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("view 'sizes': metric 'b'");
    assertThat(aggregate.records()).isZero();
    assertThat(sizes.readOut(aggregate).get("n")).isEqualTo(new MetricValue.Exact(BigDecimal.ZERO));
  }
}
