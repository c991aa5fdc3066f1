package io.oxbow.stream;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.contracts.avro.ViewKey;
import io.oxbow.stream.enrich.IpAddresses;
import io.oxbow.stream.enrich.UserAgentClassifier;
import io.oxbow.stream.topology.StreamMetrics;
import io.oxbow.stream.topology.StreamSerdes;
import io.oxbow.views.ViewCatalog;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A TopologyTestDriver over the real topology with an in-memory schema registry scope of its own;
 * typed input and output topics for every branch.
 */
final class TopologyFixture implements AutoCloseable {
  private static UserAgentClassifier userAgents;

  final StreamConfig config;
  final StreamSerdes serdes;
  final StreamMetrics metrics = StreamMetrics.inMemory();
  final TopologyTestDriver driver;
  final TestInputTopic<String, RawLogLine> raw;
  final TestInputTopic<byte[], byte[]> rawBytes;
  final TestInputTopic<Bytes, GeoIpRange> geoip;
  final TestInputTopic<String, Order> orders;
  final TestOutputTopic<String, AccessLogEvent> enriched;
  final TestOutputTopic<byte[], byte[]> dlq;
  final TestOutputTopic<String, AttributedOrder> attributed;
  final TestOutputTopic<String, io.oxbow.contracts.avro.Visit> visits;
  private int sequence;

  /** The one analyzer of the test JVM (it takes seconds to build). */
  static synchronized UserAgentClassifier userAgents() {
    if (userAgents == null) {
      userAgents = new UserAgentClassifier(1000);
    }
    return userAgents;
  }

  TopologyFixture(Duration grace, String internalCidrs) throws Exception {
    this(grace, internalCidrs, ViewCatalog.defaults());
  }

  /** The topology with the speed views of {@code views}. */
  TopologyFixture(Duration grace, String internalCidrs, ViewCatalog views) throws Exception {
    String scope = "mock://" + UUID.randomUUID();
    Path state = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "tt");
    StreamConfig defaults = StreamConfig.defaults("unused:9092", scope, "topology-test");
    this.config =
        new StreamConfig(
            defaults.bootstrapServers(),
            scope,
            defaults.applicationId(),
            state,
            grace,
            defaults.attributionWindow(),
            internalCidrs.isEmpty()
                ? java.util.List.of()
                : java.util.Arrays.stream(internalCidrs.split(","))
                    .map(io.oxbow.stream.enrich.Cidr::parse)
                    .toList(),
            true,
            defaults.commitInterval(),
            1000,
            1,
            0,
            StreamConfig.Topics.DEFAULT,
            defaults.kafkaSecurity(),
            defaults.replication(),
            defaults.topicRetention(),
            defaults.visits());
    this.serdes = StreamSerdes.registry(scope);
    Topology topology = StreamTopology.build(config, serdes, views, userAgents(), metrics);
    Properties props = config.streamsProperties();
    props.put(StreamMetrics.CONFIG_KEY, metrics);
    // every update reaches the output topics at once, so tests see each step
    props.put(org.apache.kafka.streams.StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    this.driver = new TopologyTestDriver(topology, props, Instant.parse("2015-05-17T00:00:00Z"));
    var t = config.topics();
    raw = driver.createInputTopic(t.raw(), Serdes.String().serializer(), serdes.raw().serializer());
    rawBytes =
        driver.createInputTopic(
            t.raw(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    geoip =
        driver.createInputTopic(
            t.geoip(), Serdes.Bytes().serializer(), serdes.geoIp().serializer());
    orders =
        driver.createInputTopic(
            t.orders(), Serdes.String().serializer(), serdes.order().serializer());
    enriched =
        driver.createOutputTopic(
            t.enriched(), Serdes.String().deserializer(), serdes.event().deserializer());
    dlq =
        driver.createOutputTopic(
            t.dlq(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    attributed =
        driver.createOutputTopic(
            t.attributed(), Serdes.String().deserializer(), serdes.attributed().deserializer());
    visits =
        driver.createOutputTopic(
            t.visits(), Serdes.String().deserializer(), serdes.visit().deserializer());
  }

  TestOutputTopic<ViewKey, ViewAggregate> speedView(String view) {
    return driver.createOutputTopic(
        io.oxbow.contracts.TopicNames.speedView(view),
        serdes.viewKey().deserializer(),
        serdes.viewAggregate().deserializer());
  }

  /** A raw line record as the ingest app writes it. */
  RawLogLine line(String text) {
    return RawLogLine.newBuilder()
        .setLine(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)))
        .setSource("test")
        .setReceivedTime(Instant.now())
        .setIngestId("ingest-1")
        .setSequence(sequence++)
        .build();
  }

  void pipe(String text) {
    raw.pipeInput("test", line(text));
  }

  void range(String start, String end, String country) {
    geoip.pipeInput(
        Bytes.wrap(IpAddresses.require(start)),
        GeoIpRange.newBuilder()
            .setStart(start)
            .setEnd(end)
            .setEndBytes(ByteBuffer.wrap(IpAddresses.require(end)))
            .setCountry(country)
            .setLoadId("test")
            .build());
  }

  /**
   * An order of 19.99 EUR by customer {@code c-<id>}, without items, at {@code time} (ISO-8601).
   */
  static Order order(String id, String client, String time) {
    return Order.newBuilder()
        .setOrderId(id)
        .setClientIp(client)
        .setCustomerId("c-" + id)
        .setAmount(new BigDecimal("19.9900"))
        .setCurrency("EUR")
        .setEventTime(Instant.parse(time))
        .setItems(java.util.List.of())
        .build();
  }

  /** A combined-format line with the referrer {@code http://www.example.org/start}. */
  static String combined(String client, String time, String path, int status, String ua) {
    return combined(client, time, path, status, ua, "http://www.example.org/start");
  }

  /** A combined-format line. */
  static String combined(
      String client, String time, String path, int status, String ua, String referrer) {
    return client
        + " - - ["
        + time
        + " +0000] \"GET "
        + path
        + " HTTP/1.1\" "
        + status
        + " 1234 \""
        + referrer
        + "\" \""
        + ua
        + "\"";
  }

  @Override
  public void close() {
    driver.close();
  }
}
