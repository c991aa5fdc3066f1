package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.contracts.avro.ViewKey;
import io.oxbow.contracts.avro.Visit;
import io.oxbow.registry.serde.AvroDeserializer;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.registry.serde.AvroSerializer;
import io.oxbow.stream.serde.AccessLogEventSerializer;
import io.oxbow.stream.serde.RawLogLineDeserializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The Avro serdes of every topic the stream processor reads or writes, built once per app.
 *
 * @param raw values of access-logs.raw
 * @param event values of access-logs.enriched
 * @param pageViews values of access-logs.enriched read as page views by attribution (read only)
 * @param order values of orders
 * @param attributed values of orders.attributed
 * @param geoIp values of ref.geoip
 * @param viewKey keys of views.speed.&lt;view&gt;
 * @param viewAggregate values of views.speed.&lt;view&gt;
 * @param visit values of visits
 */
public record StreamSerdes(
    Serde<RawLogLine> raw,
    Serde<AccessLogEvent> event,
    Serde<PageView> pageViews,
    Serde<Order> order,
    Serde<AttributedOrder> attributed,
    Serde<GeoIpRange> geoIp,
    Serde<ViewKey> viewKey,
    Serde<ViewAggregate> viewAggregate,
    Serde<Visit> visit) {

  /**
   * The raw lines' serde: read by the hand-written {@link RawLogLineDeserializer} (the registry
   * deserializer's values), written by the registry serializer.
   */
  private static Serde<RawLogLine> rawLines(Map<String, Object> config) {
    AvroSerde<RawLogLine> general = AvroSerde.specific(config, false);
    AvroDeserializer reader = new AvroDeserializer();
    reader.configure(specific(config), false);
    return Serdes.serdeFrom(general.serializer(), new RawLogLineDeserializer(reader));
  }

  private static Map<String, Object> specific(Map<String, Object> config) {
    Map<String, Object> specific = new HashMap<>(config);
    specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
    return specific;
  }

  /**
   * The enriched events' serde: written by the hand-written {@link AccessLogEventSerializer} (the
   * registry serializer's bytes, subject and id), read by the registry deserializer.
   */
  private static Serde<AccessLogEvent> enrichedEvents(Map<String, Object> config) {
    AvroSerde<AccessLogEvent> general = AvroSerde.specific(config, false);
    AvroSerializer writer = new AvroSerializer();
    writer.configure(specific(config), false);
    return Serdes.serdeFrom(new AccessLogEventSerializer(writer), general.deserializer());
  }

  /**
   * Registry-backed serdes (Confluent wire format, TopicNameStrategy subjects, generated classes).
   *
   * @param registryUrl {@code http://host:port}, or {@code mock://scope} for an in-memory registry
   */
  public static StreamSerdes registry(String registryUrl) {
    Map<String, Object> config = Map.of("schema.registry.url", registryUrl);
    return new StreamSerdes(
        rawLines(config),
        enrichedEvents(config),
        PageViewProjection.serde(registryUrl),
        AvroSerde.specific(config, false),
        AvroSerde.specific(config, false),
        AvroSerde.specific(config, false),
        AvroSerde.specific(config, true),
        AvroSerde.specific(config, false),
        AvroSerde.specific(config, false));
  }
}
