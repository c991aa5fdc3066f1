package io.oxbow.stream.topology;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.avro.Order;
import io.oxbow.stream.StreamConfig;
import io.oxbow.stream.StreamMetrics;
import io.oxbow.stream.StreamTopology.Names;
import io.oxbow.stream.enrich.InternalTraffic;
import io.oxbow.stream.enrich.UserAgentClassifier;
import io.oxbow.stream.geoip.GeoIpCache;
import io.oxbow.stream.geoip.GeoIpStoreUpdater;
import io.oxbow.views.Source;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** The pieces of {@link io.oxbow.stream.StreamTopology}, one method per branch. */
public final class TopologyParts {
  private final StreamsBuilder builder;
  private final StreamConfig config;
  private final StreamSerdes serdes;
  private final AccessLogParser parser;
  private final InternalTraffic internal;
  private final UserAgentClassifier userAgents;
  private final StreamMetrics metrics;
  private final GeoIpCache geoCache = new GeoIpCache(GeoIpCache.DEFAULT_ENTRIES);
  private KStream<String, AccessLogEvent> enriched;
  private KStream<String, AttributedOrder> attributed;

  /** Parts added to {@code builder}. */
  public TopologyParts(
      StreamsBuilder builder,
      StreamConfig config,
      StreamSerdes serdes,
      AccessLogParser parser,
      InternalTraffic internal,
      UserAgentClassifier userAgents,
      StreamMetrics metrics) {
    this.builder = builder;
    this.config = config;
    this.serdes = serdes;
    this.parser = parser;
    this.internal = internal;
    this.userAgents = userAgents;
    this.metrics = metrics;
  }

  /** ref.geoip into the global store {@link Names#GEOIP_STORE}. */
  public void geoIpStore() {
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Names.GEOIP_STORE), Serdes.Bytes(), serdes.geoIp())
            .withLoggingDisabled(),
        config.topics().geoip(),
        Consumed.with(Serdes.Bytes(), serdes.geoIp()).withName("geoip-source"),
        () -> new GeoIpStoreUpdater(Names.GEOIP_STORE, geoCache));
  }

  /** raw -> parse -> validate -> drop internal -> enrich -> key by client -> enriched. */
  public void enrichment() {
    enriched =
        builder.stream(
                config.topics().raw(),
                Consumed.with(Serdes.String(), serdes.raw()).withName(Names.RAW_SOURCE))
            .processValues(() -> new ParseStage(parser, metrics), Named.as(Names.PARSE))
            .processValues(
                () -> new InternalTrafficFilter(internal, metrics), Named.as("drop-internal"))
            .processValues(
                () -> new EnrichStage(userAgents, metrics, Names.GEOIP_STORE, geoCache),
                Named.as("enrich"))
            .selectKey((k, v) -> v.getClient(), Named.as("key-by-client"));
    enriched
        .peek((k, v) -> metrics.enrichedCount(), Named.as("count-enriched"))
        .to(
            config.topics().enriched(),
            Produced.with(Serdes.String(), serdes.event()).withName("enriched-sink"));
  }

  /**
   * Page views, read back from the enriched topic (co-partitioned with orders by client address) as
   * {@link PageView}s, into {@link Names#PAGEVIEW_STORE}; orders joined with them -> attributed.
   */
  public void attribution() {
    Duration window = config.attributionWindow();
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                Names.PAGEVIEW_STORE, window.plus(config.grace()).multipliedBy(2), window, true),
            Serdes.String(),
            PageView.serde()));
    builder.stream(
            config.topics().enriched(),
            Consumed.with(Serdes.String(), serdes.pageViews()).withName("enriched-source"))
        .process(
            () -> new PageViewRecorder(Names.PAGEVIEW_STORE),
            Named.as("pageview-recorder"),
            Names.PAGEVIEW_STORE);
    KStream<String, Order> orders =
        builder.stream(
            config.topics().orders(),
            Consumed.with(Serdes.String(), serdes.order()).withName("orders-source"));
    attributed =
        orders.process(
            () ->
                new OrderAttributor(
                    Names.PAGEVIEW_STORE, Names.GEOIP_STORE, geoCache, window, metrics),
            Named.as("order-attribution"),
            Names.PAGEVIEW_STORE);
    attributed.to(
        config.topics().attributed(),
        Produced.with(Serdes.String(), serdes.attributed()).withName("attributed-sink"));
  }

  /**
   * One windowed fold per view of {@code views}. Access-log views fold the enriched events as they
   * are written to the enriched topic (in the enrichment's task, without reading them back); order
   * views fold the attributed orders.
   */
  public void speedViews(ViewCatalog views) {
    for (ViewFolder folder : views.folders()) {
      if (folder.definition().source() == Source.ACCESS_LOGS) {
        SpeedViews.add(
            enriched,
            folder,
            config.topics().speedView(folder.name()),
            config.grace(),
            serdes,
            metrics,
            builder);
      } else {
        SpeedViews.add(
            attributed,
            folder,
            config.topics().speedView(folder.name()),
            config.grace(),
            serdes,
            metrics,
            builder);
      }
    }
  }
}
