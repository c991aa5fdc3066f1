package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.deadletter.DeadLetterReason;
import io.oxbow.contracts.deadletter.DeadLetterStage;
import io.oxbow.stream.geoip.GeoIpCache;
import io.oxbow.stream.geoip.GeoIpLookup;
import io.oxbow.views.record.ReferrerDomain;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Joins each order with its client's page views in the attribution window before it (from the
 * page-view window store, which the enriched stream fills) and emits exactly one {@link
 * AttributedOrder} per order, keyed by client IP: landing page and referrer domain ({@link
 * ReferrerDomain}, the views' definition) of the first view, the number of views, and the country
 * (of the first view, else of the order's address). An order with no page view is emitted with
 * {@code attributed=false}, never dropped.
 */
final class OrderAttributor implements Processor<String, Order, String, AttributedOrder> {
  private final String pageViewStore;
  private final String geoStore;
  private final Duration window;
  private final StreamMetrics metrics;
  private final GeoIpCache geoCache;
  private ProcessorContext<String, AttributedOrder> context;
  private WindowStore<String, PageView> views;
  private GeoIpLookup geo;

  OrderAttributor(
      String pageViewStore,
      String geoStore,
      GeoIpCache geoCache,
      Duration window,
      StreamMetrics metrics) {
    this.pageViewStore = pageViewStore;
    this.geoStore = geoStore;
    this.geoCache = geoCache;
    this.window = window;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, AttributedOrder> context) {
    this.context = context;
    this.views = context.getStateStore(pageViewStore);
    KeyValueStore<Bytes, GeoIpRange> ranges = context.getStateStore(geoStore);
    this.geo = new GeoIpLookup(ranges, geoCache);
  }

  @Override
  public void process(Record<String, Order> record) {
    Order order = record.value();
    if (order == null) {
      throw new RejectedRecordException(
          DeadLetterStage.ATTRIBUTE, DeadLetterReason.NO_VALUE, -1, "order without a value");
    }
    long at = order.getEventTime().toEpochMilli();
    PageView first = null;
    int count = 0;
    try (WindowStoreIterator<PageView> it =
        views.fetch(order.getClientIp(), at - window.toMillis(), at)) {
      while (it.hasNext()) {
        KeyValue<Long, PageView> view = it.next();
        if (first == null) {
          first = view.value;
        }
        count++;
      }
    }
    AttributedOrder.Builder out =
        AttributedOrder.newBuilder()
            .setOrderId(order.getOrderId())
            .setClientIp(order.getClientIp())
            .setCustomerId(order.getCustomerId())
            .setAmount(order.getAmount())
            .setCurrency(order.getCurrency())
            .setEventTime(order.getEventTime())
            .setItems(order.getItems())
            .setAttributed(first != null)
            .setPagesViewed(count);
    if (first != null) {
      out.setLandingPage(first.path())
          .setReferrerDomain(ReferrerDomain.of(first.referrer()))
          .setCountry(first.country())
          .setFirstViewTime(Instant.ofEpochMilli(first.eventTime()));
    } else {
      out.setCountry(geo.country(order.getClientIp()).country());
    }
    metrics.order(first != null);
    context.forward(record.withKey(order.getClientIp()).withValue(out.build()).withTimestamp(at));
  }
}
