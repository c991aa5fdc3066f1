package io.oxbow.stream;

import io.oxbow.stream.enrich.UserAgentClassifier;
import io.oxbow.stream.topology.StreamMetrics;
import io.oxbow.stream.topology.StreamSerdes;
import io.oxbow.stream.topology.TopologyNames;
import io.oxbow.stream.topology.TopologyOptions;
import io.oxbow.stream.topology.TopologyParts;
import io.oxbow.views.ViewCatalog;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;

/**
 * The stream processor's topology, built without I/O from configuration and serdes.
 *
 * <pre>
 * access-logs.raw ─ parse ─ validate ─ drop-internal ─ enrich (geo-IP, user agent) ─ key-by-client
 *     ├─► access-logs.enriched          (rejections ─► access-logs.dlq via the exception handlers)
 *     └─► per access-log view: filter and fold into partials (sent once per commit)
 * ref.geoip ─► global store geoip-ranges
 * access-logs.enriched (read as page views) ─► pageview-recorder ─► store attribution-pageviews
 * orders ─► order-attribution (attribution-pageviews, geoip-ranges) ─► orders.attributed
 *     └─► per order view: filter and fold into partials (sent once per commit)
 * enriched page views ─► key by visitor ─► repartition visits-by-visitor ─► session windows
 *     (inactivity gap oxbow.visit-timeout, store visits-sessions) ─► until closed ─► visits
 *     └─► per visits view: filter and fold into partials (sent once per commit)
 * partials ─► per view: repartition by group, late filter, windowed merge ─► views.speed.&lt;view&gt;
 * </pre>
 *
 * <p>Every processor, store and internal topic is named (see {@link TopologyNames}); the topology
 * is meant to run with {@code ensure.explicit.internal.resource.naming=true} and exactly_once_v2
 * ({@link StreamConfig#streamsProperties()}). The orders topic must have as many partitions as
 * {@code access-logs.enriched} (they are joined by client address).
 */
public final class StreamTopology {
  private StreamTopology() {}

  /**
   * The topology.
   *
   * @param config topic names, grace, attribution window, internal ranges
   * @param serdes the topics' serdes
   * @param views the speed views to fold
   * @param userAgents the (shared, thread-safe) user-agent classifier
   * @param metrics where counters go
   */
  public static Topology build(
      StreamConfig config,
      StreamSerdes serdes,
      ViewCatalog views,
      UserAgentClassifier userAgents,
      StreamMetrics metrics) {
    // the builder sees the app's configuration, so ensure.explicit.internal.resource.naming=true
    // makes build() fail on any internal topic or store Kafka Streams would have to name itself
    StreamsBuilder builder =
        new StreamsBuilder(new TopologyConfig(new StreamsConfig(config.streamsProperties())));
    TopologyParts.addTo(builder, options(config), serdes, views, userAgents, metrics);
    return builder.build();
  }

  /** What the topology takes from the configuration. */
  static TopologyOptions options(StreamConfig config) {
    StreamConfig.Topics topics = config.topics();
    return new TopologyOptions(
        topics.raw(),
        topics.enriched(),
        topics.orders(),
        topics.attributed(),
        topics.geoip(),
        topics.speedViewPrefix(),
        config.grace(),
        config.attributionWindow(),
        config.internalCidrs(),
        topics.visits(),
        config.visits());
  }
}
