package io.oxbow.bench.stream;

import io.oxbow.bench.SampleLines;
import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.localkafka.LocalKafka;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.stream.StreamConfig;
import io.oxbow.stream.StreamTopology;
import io.oxbow.stream.enrich.UserAgentClassifier;
import io.oxbow.stream.geoip.GeoIpLoader;
import io.oxbow.stream.topology.StreamMetrics;
import io.oxbow.stream.topology.StreamSerdes;
import io.oxbow.views.ViewCatalog;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Records per second of the stream-processor topology against a pass-through Streams app (raw bytes
 * copied from access-logs.raw to another topic) on the same in-process broker in the same run, each
 * under exactly_once_v2 and at_least_once, and of the topology without speed views and of the
 * {@link IoFloor} app (the topology's Kafka I/O without its computation). Also times the geo-IP
 * load of the bundled ranges. Every app reads the same pre-loaded input from the start; the clock
 * runs from the moment a stream thread has its partitions until the app's group has committed every
 * input record and has no lag on any of its topics (so the topology's second stage, speed views and
 * attribution included, is done too).
 *
 * <p>{@code warmUps} unreported rounds (default 2) of the four apps under exactly_once_v2 come
 * first: a long-running stream processor runs JIT-compiled code, and compiling the topology's code
 * takes one of a small machine's cores for seconds. Then {@code rounds} measured rounds (default
 * 3), each running the four apps under both guarantees; the table shows medians and each round's
 * ratio to the same round's pass-through.
 *
 * <p>Input: the elastic sample's lines in a loop, {@code records} of them (default 100,000). With
 * {@code eventRate} 0 (the default) they keep their own times (84 hours of a small site, about two
 * requests a minute); with {@code eventRate} N they are re-timed as live traffic of N requests per
 * second. System properties {@code streams.<name>} override Kafka Streams settings of every app
 * (e.g. {@code -Dstreams.commit.interval.ms=500}). Each app's line also shows the CPU time the
 * whole process (apps, broker, JIT compiler and garbage collector) used during its run and how its
 * stream thread spent its time.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.oxbow.bench.stream.StreamThroughputMain \
 *     [records] [eventRate] [rounds] [warmUps]
 * </pre>
 */
public final class StreamThroughputMain {
  private static final String REGISTRY = "mock://stream-bench";

  /** Grace of the topology's speed views: the as-recorded input loops over 2015's events. */
  private static final Duration GRACE = Duration.ofDays(3650);

  private StreamThroughputMain() {}

  /** Runs the comparison and prints a Markdown table. */
  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int eventRate = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int warmUps = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Path root = Path.of(System.getProperty("oxbow.root", "."));
    Path data = Files.createTempDirectory("stream-bench");
    try (LocalKafka kafka = LocalKafka.builder().dataDir(data.resolve("kafka")).build().start()) {
      String bootstrap = kafka.bootstrapServers();
      loadGeoIp(bootstrap, root);
      UserAgentClassifier userAgents = new UserAgentClassifier(10_000);
      String raw = "bench.access-logs.raw";
      preload(bootstrap, raw, root, records, eventRate);
      Apps apps = new Apps(bootstrap, raw, records, userAgents, data);
      // unreported rounds first, so no measured app pays for class loading, JIT compilation
      // (which takes a core of this size of machine for many seconds) and cold caches
      for (int i = 0; i < warmUps; i++) {
        apps.round("warmup" + i, true);
      }
      Map<String, List<Double>> rates = new HashMap<>();
      for (int i = 0; i < rounds; i++) {
        for (boolean eos : new boolean[] {true, false}) {
          apps.round("r" + i, eos)
              .forEach((app, rate) -> rates.computeIfAbsent(app, a -> new ArrayList<>()).add(rate));
        }
      }
      printTable(rates);
    }
  }

  /** The four apps of a round, each on the same pre-loaded raw topic. */
  private record Apps(
      String bootstrap, String raw, int records, UserAgentClassifier userAgents, Path data) {
    /**
     * Runs pass-through, I/O floor, topology and topology without views; records/s by app and
     * guarantee.
     */
    Map<String, Double> round(String round, boolean eos) throws Exception {
      String tag = round + "-" + (eos ? "eos" : "alos");
      Map<String, Double> rates = new HashMap<>();
      String g = eos ? "eos" : "alos";
      rates.put(
          "pass-" + g,
          run(
              bootstrap,
              "pass-" + tag,
              passThrough(raw, "bench-" + tag + ".copy"),
              eos,
              data,
              records,
              raw,
              Set.of(raw)));
      rates.put("floor-" + g, floor(bootstrap, tag, raw, eos, data, records));
      rates.put(
          "topology-" + g,
          topology(bootstrap, tag, raw, eos, ViewCatalog.defaults(), userAgents, data, records));
      rates.put(
          "noviews-" + g,
          topology(
              bootstrap,
              tag + "-noviews",
              raw,
              eos,
              ViewCatalog.of(List.of()),
              userAgents,
              data,
              records));
      return rates;
    }
  }

  private static void loadGeoIp(String bootstrap, Path root) throws Exception {
    long geoStart = System.nanoTime();
    GeoIpLoader.Result geo;
    try (AvroSerde<GeoIpRange> serde =
        AvroSerde.specific(Map.of("schema.registry.url", REGISTRY), false)) {
      Path samples = root.resolve("samples/geoip");
      geo =
          new GeoIpLoader(bootstrap, "bench.ref.geoip", serde.serializer())
              .load(
                  List.of(
                      samples.resolve("geo-whois-asn-country-ipv4.csv.gz"),
                      samples.resolve("geo-whois-asn-country-ipv6.csv.gz")));
    }
    System.out.printf(
        Locale.ROOT,
        "geo-IP load: %d ranges in %.1f s = %.0f ranges/s%n",
        geo.ranges(),
        (System.nanoTime() - geoStart) / 1e9,
        geo.rangesPerSecond());
  }

  /** Medians over the rounds, and each round's ratio to the same round's pass-through. */
  private static void printTable(Map<String, List<Double>> rates) {
    System.out.println();
    System.out.println(
        "| guarantee | pass-through records/s | topology records/s | topology / pass-through"
            + " (rounds) | without speed views records/s | that / pass-through (rounds) |"
            + " I/O floor records/s | that / pass-through (rounds) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (String g : List.of("eos", "alos")) {
      List<Double> pass = rates.get("pass-" + g);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %s | %s | %s |%n",
          g.equals("eos") ? "exactly_once_v2" : "at_least_once",
          median(pass),
          against(rates.get("topology-" + g), pass, true),
          against(rates.get("noviews-" + g), pass, false),
          against(rates.get("floor-" + g), pass, false));
    }
    System.out.printf(
        Locale.ROOT,
        "%npass-through exactly_once_v2 / at_least_once: %.2f; topology: %.2f%n",
        median(rates.get("pass-eos")) / median(rates.get("pass-alos")),
        median(rates.get("topology-eos")) / median(rates.get("topology-alos")));
  }

  /** "median | median ratio (round ratios)" of {@code app} against {@code pass}. */
  private static String against(List<Double> app, List<Double> pass, boolean bold) {
    String ratio = String.format(Locale.ROOT, "%.2f", median(app) / median(pass));
    return String.format(
        Locale.ROOT,
        "%.0f | %s (%s)",
        median(app),
        bold ? "**" + ratio + "**" : ratio,
        ratios(app, pass));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String ratios(List<Double> app, List<Double> pass) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < app.size(); i++) {
      out.add(String.format(Locale.ROOT, "%.2f", app.get(i) / pass.get(i)));
    }
    return String.join(", ", out);
  }

  /** The stream-processor topology over {@code raw} with {@code views}; records/s. */
  private static double topology(
      String bootstrap,
      String tag,
      String raw,
      boolean eos,
      ViewCatalog views,
      UserAgentClassifier userAgents,
      Path data,
      int records)
      throws Exception {
    StreamConfig config =
        StreamConfig.defaults(bootstrap, REGISTRY, "topology-" + tag)
            .withTopics(
                new StreamConfig.Topics(
                    raw,
                    "bench-" + tag + ".enriched",
                    "bench-" + tag + ".dlq",
                    "bench-" + tag + ".orders",
                    "bench-" + tag + ".attributed",
                    "bench.ref.geoip",
                    "bench-" + tag + ".views.speed.",
                    "bench-" + tag + ".visits"))
            .withGrace(GRACE)
            .withExactlyOnce(eos);
    createTopics(bootstrap, config);
    Topology topology =
        StreamTopology.build(
            config, StreamSerdes.registry(REGISTRY), views, userAgents, StreamMetrics.inMemory());
    Set<String> stages = new HashSet<>(Set.of(raw, config.topics().enriched()));
    for (String view : views.names()) {
      if (!view.equals("revenue")) {
        stages.add("topology-" + tag + "-speed-" + view + "-by-group-repartition");
      }
    }
    return run(bootstrap, "topology-" + tag, topology, eos, data, records, raw, stages);
  }

  /** The {@link IoFloor} app over {@code raw}, with the topology's store retention; records/s. */
  private static double floor(
      String bootstrap, String tag, String raw, boolean eos, Path data, int records)
      throws Exception {
    String copy = "bench-" + tag + ".floor-copy";
    String orders = "bench-" + tag + ".floor-orders";
    createTopics(bootstrap, Set.of(copy, orders));
    Duration retention =
        StreamConfig.defaults(bootstrap, REGISTRY, "floor")
            .attributionWindow()
            .plus(GRACE)
            .multipliedBy(2);
    return run(
        bootstrap,
        "floor-" + tag,
        IoFloor.build(raw, copy, orders, retention),
        eos,
        data,
        records,
        raw,
        Set.of(raw, copy));
  }

  private static Topology passThrough(String in, String out) {
    StreamsBuilder b = new StreamsBuilder();
    b.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("pass-source"))
        .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("pass-sink"));
    return b.build();
  }

  /** Records/s from RUNNING until the group has no lag and has committed all input. */
  private static double run(
      String bootstrap,
      String appId,
      Topology topology,
      boolean eos,
      Path data,
      int records,
      String raw,
      Set<String> mustCommit)
      throws Exception {
    Properties p =
        StreamConfig.defaults(bootstrap, REGISTRY, appId)
            .withExactlyOnce(eos)
            .withStateDir(data.resolve("state-" + appId))
            .streamsProperties();
    System.getProperties().stringPropertyNames().stream()
        .filter(n -> n.startsWith("streams."))
        .forEach(n -> p.put(n.substring("streams.".length()), System.getProperty(n)));
    try (KafkaStreams streams = new KafkaStreams(topology, p);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      streams.start();
      // the clock starts when a stream thread has its partitions: with several threads the
      // first one may be done before the last one joins and the app is RUNNING
      while (!anyThreadAssigned(streams)) {
        synchronized (StreamThroughputMain.class) {
          StreamThroughputMain.class.wait(2);
        }
      }
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      while (!caughtUp(admin, appId, raw, records, mustCommit)) {
        synchronized (StreamThroughputMain.class) {
          StreamThroughputMain.class.wait(20);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = (processCpuNanos() - cpuStart) / 1e9;
      String split = threadTimeSplit(streams);
      streams.close(Duration.ofSeconds(30));
      double rate = records / seconds;
      System.out.printf(
          Locale.ROOT,
          "%s: %d records in %.2f s = %.0f records/s (process CPU %.1f s; stream thread %s)%n",
          appId,
          records,
          seconds,
          rate,
          cpu,
          split);
      return rate;
    }
  }

  private static boolean anyThreadAssigned(KafkaStreams streams) {
    return streams.metadataForLocalThreads().stream()
        .anyMatch(
            t ->
                t.threadState().equals("PARTITIONS_ASSIGNED") || t.threadState().equals("RUNNING"));
  }

  /** How the stream thread spent its time (Kafka Streams' thread ratios) and commit latency. */
  private static String threadTimeSplit(KafkaStreams streams) {
    Map<String, Double> values = new HashMap<>();
    streams
        .metrics()
        .forEach(
            (name, metric) -> {
              if (name.group().equals("stream-thread-metrics")
                  && metric.metricValue() instanceof Double d) {
                values.put(name.name(), d);
              }
            });
    return String.format(
        Locale.ROOT,
        "process %.0f%%, commit %.0f%%, poll %.0f%%, commit latency avg %.1f ms",
        100 * values.getOrDefault("process-ratio", Double.NaN),
        100 * values.getOrDefault("commit-ratio", Double.NaN),
        100 * values.getOrDefault("poll-ratio", Double.NaN),
        values.getOrDefault("commit-latency-avg", Double.NaN));
  }

  /**
   * Whether {@code topic} has never been written (every partition's end offset is 0): a stage that
   * got no records, such as the visits view's repartition when no visit closed during the run, has
   * nothing to commit. The committed offsets are read before this is asked, and a stage's records
   * are written in the transaction that commits their input: once those offsets cover the raw
   * input, a stage still empty gets no more records.
   */
  private static boolean isEmpty(Admin admin, String topic) throws Exception {
    var description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    description
        .partitions()
        .forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    return admin.listOffsets(ends).all().get().values().stream().allMatch(o -> o.offset() == 0);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static boolean caughtUp(
      Admin admin, String group, String raw, int records, Set<String> mustCommit) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Set<String> topics = new HashSet<>();
    committed.keySet().forEach(tp -> topics.add(tp.topic()));
    for (String topic : mustCommit) {
      if (!topics.contains(topic) && !isEmpty(admin, topic)) {
        return false;
      }
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    var ends = admin.listOffsets(latest).all().get();
    long rawCommitted = 0;
    for (var e : committed.entrySet()) {
      long end = ends.get(e.getKey()).offset();
      long at = e.getValue() == null ? 0 : e.getValue().offset();
      // under exactly-once the end offset counts one commit marker per transaction
      if (end - at > 1) {
        return false;
      }
      if (e.getKey().topic().equals(raw)) {
        rawCommitted += at;
      }
    }
    return rawCommitted >= records;
  }

  private static void preload(String bootstrap, String topic, Path root, int records, int eventRate)
      throws Exception {
    createTopics(bootstrap, Set.of(topic));
    List<byte[]> lines = List.of(SampleLines.elastic(root));
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.LINGER_MS_CONFIG,
            20,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024);
    try (AvroSerde<RawLogLine> serde =
            AvroSerde.specific(Map.of("schema.registry.url", REGISTRY), false);
        KafkaProducer<String, RawLogLine> producer =
            new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
      for (int i = 0; i < records; i++) {
        producer.send(
            new ProducerRecord<>(
                topic,
                "bench",
                RawLogLine.newBuilder()
                    .setLine(ByteBuffer.wrap(line(lines, i, eventRate, now)))
                    .setSource("bench")
                    .setReceivedTime(now)
                    .setIngestId("bench")
                    .setSequence(i)
                    .build()));
      }
      producer.flush();
    }
  }

  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss xx", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  /**
   * Line {@code i} of the input: the sample's lines in a loop, with their own times when {@code
   * eventRate} is 0, else re-timed so that {@code eventRate} lines share each second from {@code
   * start} on (live traffic at that rate).
   */
  private static byte[] line(List<byte[]> lines, int i, int eventRate, Instant start) {
    byte[] line = lines.get(i % lines.size());
    int open = indexOf(line, (byte) '[', 0);
    int close = open < 0 ? -1 : indexOf(line, (byte) ']', open);
    if (eventRate <= 0 || close < 0) {
      return line;
    }
    byte[] time =
        LOG_TIME.format(start.plusSeconds(i / eventRate)).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[open + 1 + time.length + line.length - close];
    System.arraycopy(line, 0, out, 0, open + 1);
    System.arraycopy(time, 0, out, open + 1, time.length);
    System.arraycopy(line, close, out, open + 1 + time.length, line.length - close);
    return out;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static void createTopics(String bootstrap, StreamConfig config) throws Exception {
    var t = config.topics();
    Set<String> names = new HashSet<>(List.of(t.enriched(), t.dlq(), t.orders(), t.attributed()));
    ViewCatalog.defaults().names().forEach(v -> names.add(t.speedView(v)));
    createTopics(bootstrap, names);
  }

  /** Creates {@code names}, one partition each. */
  private static void createTopics(String bootstrap, Set<String> names) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(names.stream().map(n -> new NewTopic(n, 1, (short) 1)).toList())
          .all()
          .get();
    }
  }
}
