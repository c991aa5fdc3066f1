package io.oxbow.stream.topology;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.Visit;
import io.oxbow.stream.enrich.InternalTraffic;
import io.oxbow.stream.enrich.UserAgentClassifier;
import io.oxbow.stream.geoip.GeoIpCache;
import io.oxbow.stream.geoip.GeoIpStoreUpdater;
import io.oxbow.views.Source;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.time.Duration;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Adds the stream processor's topology to a builder, one method per branch ({@link #addTo}). The
 * branches are added in one fixed order, and each gets the streams it reads as arguments, so no
 * branch can be added before what it reads exists; the order also fixes the topology's description
 * (sub-topology numbers), which {@code TopologyShapeTest} pins.
 */
public final class TopologyParts {
  private final StreamsBuilder builder;
  private final TopologyOptions options;
  private final StreamSerdes serdes;
  private final StreamMetrics metrics;
  private final GeoIpCache geoCache = new GeoIpCache(GeoIpCache.DEFAULT_ENTRIES);

  private TopologyParts(
      StreamsBuilder builder, TopologyOptions options, StreamSerdes serdes, StreamMetrics metrics) {
    this.builder = builder;
    this.options = options;
    this.serdes = serdes;
    this.metrics = metrics;
  }

  /**
   * Adds every branch to {@code builder}: the geo-IP global store, the enrichment of raw lines, the
   * attribution of orders, the sessionization of page views into visits ({@link VisitSessions}),
   * and one speed view per view of {@code views}.
   *
   * @param builder the builder (it should see the app's configuration, so that explicit naming of
   *     internal resources is enforced)
   * @param options topics, grace, attribution window, internal ranges
   * @param serdes the topics' serdes
   * @param views the speed views to fold
   * @param userAgents the (shared, thread-safe) user-agent classifier
   * @param metrics where counters go
   */
  public static void addTo(
      StreamsBuilder builder,
      TopologyOptions options,
      StreamSerdes serdes,
      ViewCatalog views,
      UserAgentClassifier userAgents,
      StreamMetrics metrics) {
    TopologyParts parts = new TopologyParts(builder, options, serdes, metrics);
    parts.geoIpStore();
    KStream<String, AccessLogEvent> enriched = parts.enrichment(userAgents);
    KStream<String, AttributedOrder> attributed = parts.attribution();
    KStream<String, Visit> visits = VisitSessions.add(enriched, options, serdes);
    parts.speedViews(views, enriched, attributed, visits);
  }

  /** ref.geoip into the global store {@link TopologyNames#GEOIP_STORE}. */
  private void geoIpStore() {
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TopologyNames.GEOIP_STORE),
                Serdes.Bytes(),
                serdes.geoIp())
            .withLoggingDisabled(),
        options.geoip(),
        Consumed.with(Serdes.Bytes(), serdes.geoIp()).withName("geoip-source"),
        () -> new GeoIpStoreUpdater(TopologyNames.GEOIP_STORE, geoCache));
  }

  /** raw -> parse -> validate -> drop internal -> enrich -> key by client -> enriched. */
  private KStream<String, AccessLogEvent> enrichment(UserAgentClassifier userAgents) {
    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.AUTO);
    InternalTraffic internal = new InternalTraffic(options.internalCidrs());
    KStream<String, AccessLogEvent> enriched =
        builder.stream(
                options.raw(),
                Consumed.with(Serdes.String(), serdes.raw()).withName(TopologyNames.RAW_SOURCE))
            .processValues(() -> new ParseStage(parser, metrics), Named.as(TopologyNames.PARSE))
            .processValues(
                () -> new InternalTrafficFilter(internal, metrics), Named.as("drop-internal"))
            .processValues(
                () -> new EnrichStage(userAgents, metrics, TopologyNames.GEOIP_STORE, geoCache),
                Named.as("enrich"))
            .selectKey((k, v) -> v.getClient(), Named.as("key-by-client"));
    enriched
        .peek((k, v) -> metrics.enrichedCount(), Named.as("count-enriched"))
        .to(
            options.enriched(),
            Produced.with(Serdes.String(), serdes.event()).withName("enriched-sink"));
    return enriched;
  }

  /**
   * Page views, read back from the enriched topic (co-partitioned with orders by client address) as
   * {@link PageView}s, into {@link TopologyNames#PAGEVIEW_STORE}; orders joined with them ->
   * attributed.
   */
  private KStream<String, AttributedOrder> attribution() {
    Duration window = options.attributionWindow();
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                TopologyNames.PAGEVIEW_STORE,
                window.plus(options.grace()).multipliedBy(2),
                window,
                true),
            Serdes.String(),
            PageView.serde()));
    builder.stream(
            options.enriched(),
            Consumed.with(Serdes.String(), serdes.pageViews())
                .withTimestampExtractor(new PageViewTimestamps())
                .withName("enriched-source"))
        .process(
            () -> new PageViewRecorder(TopologyNames.PAGEVIEW_STORE),
            Named.as("pageview-recorder"),
            TopologyNames.PAGEVIEW_STORE);
    KStream<String, Order> orders =
        builder.stream(
            options.orders(),
            Consumed.with(Serdes.String(), serdes.order()).withName("orders-source"));
    KStream<String, AttributedOrder> attributed =
        orders.process(
            () ->
                new OrderAttributor(
                    TopologyNames.PAGEVIEW_STORE,
                    TopologyNames.GEOIP_STORE,
                    geoCache,
                    window,
                    metrics),
            Named.as("order-attribution"),
            TopologyNames.PAGEVIEW_STORE);
    attributed.to(
        options.attributed(),
        Produced.with(Serdes.String(), serdes.attributed()).withName("attributed-sink"));
    return attributed;
  }

  /**
   * One windowed fold per view of {@code views}, fed by the stream of the view's source: access-log
   * views fold the enriched events as they are written to the enriched topic (in the enrichment's
   * task, without reading them back), order views the attributed orders, visit views the closed
   * visits (with a longer grace, {@link TopologyOptions#visitViewGrace()}). The switch covers every
   * {@link io.oxbow.views.Source}: a new source does not compile until it is given its stream here.
   */
  private void speedViews(
      ViewCatalog views,
      KStream<String, AccessLogEvent> enriched,
      KStream<String, AttributedOrder> attributed,
      KStream<String, Visit> visits) {
    for (ViewFolder folder : views.folders()) {
      Source source = folder.definition().source();
      KStream<String, ? extends GenericRecord> input =
          switch (source) {
            case ACCESS_LOGS -> enriched;
            case ORDERS -> attributed;
            case VISITS -> visits;
          };
      SpeedViews.add(
          input,
          folder,
          options.speedView(folder.name()),
          source == Source.VISITS ? options.visitViewGrace() : options.grace(),
          serdes,
          metrics,
          builder);
    }
  }
}
