package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.stream.enrich.UserAgentClassifier;
import io.oxbow.stream.geoip.GeoIpCache;
import io.oxbow.stream.geoip.GeoIpLookup;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sets the enrichment fields of an event: country from the geo-IP global store ({@code unknown}
 * when no range holds the address or the client is a host name) and browser, OS, device class and
 * bot flag from the user agent. Geo-IP answers are cached per address ({@link GeoIpCache}, shared
 * by the app's tasks).
 */
final class EnrichStage implements FixedKeyProcessor<String, AccessLogEvent, AccessLogEvent> {
  private final UserAgentClassifier userAgents;
  private final StreamMetrics metrics;
  private final String geoStore;
  private final GeoIpCache geoCache;
  private FixedKeyProcessorContext<String, AccessLogEvent> context;
  private GeoIpLookup geo;

  EnrichStage(
      UserAgentClassifier userAgents, StreamMetrics metrics, String geoStore, GeoIpCache geoCache) {
    this.userAgents = userAgents;
    this.metrics = metrics;
    this.geoStore = geoStore;
    this.geoCache = geoCache;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, AccessLogEvent> context) {
    this.context = context;
    KeyValueStore<Bytes, GeoIpRange> store = context.getStateStore(geoStore);
    this.geo = new GeoIpLookup(store, geoCache);
  }

  @Override
  public void process(FixedKeyRecord<String, AccessLogEvent> record) {
    // the event was built by the parse stage for this record alone: enrich it in place (the
    // generated class has no setters)
    AccessLogEvent event = record.value();
    GeoIpLookup.Result country = geo.country(event.getClient());
    metrics.geoLookup(country.outcome());
    event.put("country", country.country());
    UserAgentClassifier.Result ua = userAgents.classify(event.getUserAgent());
    event.put("ua_browser", ua.browser());
    event.put("ua_os", ua.os());
    event.put("ua_device", ua.device());
    event.put("is_bot", ua.bot());
    context.forward(record.withValue(event));
  }
}
