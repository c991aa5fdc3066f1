package io.oxbow.bench.batch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.Lander;
import io.oxbow.batch.landing.LandingSettings;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.batch.landing.RegistryDecoder;
import io.oxbow.batch.landing.RollPolicy;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.localkafka.LocalKafka;
import io.oxbow.registry.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Landing rows per second against a plain consumer reading the same topic in the same run, on an
 * in-process broker. The topic holds the access-log sample (parsed, Confluent wire-format Avro),
 * repeated, with event times 20 ms apart (a site serving 50 requests per second). Each round runs,
 * with fresh consumer groups:
 *
 * <ul>
 *   <li><b>plain</b>: a {@code KafkaConsumer<byte[], byte[]>} polls every record (no decoding);
 *   <li><b>landing</b>: the batch loader's {@link Lander} decodes through the registry, writes ZSTD
 *       Parquet per partition and event hour, publishes atomically and commits the manifests; the
 *       clock stops when every partition's manifest has reached the end offset.
 * </ul>
 *
 * Both clocks include joining the group. The landing clock also includes the idle roll (2 s here)
 * that publishes each partition's last, partly filled file once input stops. So each round also
 * reports the <b>steady</b> landing rate: the rows committed up to the commit before the last stall
 * of the commits of at least half the roll interval (the wait for the idle roll), over the time to
 * that commit. Prints each round, the median ratio of the whole landing clock and the median ratio
 * of the steady rate, both against the plain consumer.
 *
 * <p>Defaults: 1,000,000 records, 3 rounds. Runs long enough to reach steady state take 2-3 million
 * records.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.oxbow.bench.batch.LandingThroughputMain [records]
 * [rounds]</pre>
 */
public final class LandingThroughputMain {
  private static final String REGISTRY = "mock://landing-bench";
  private static final String TOPIC = "bench.access-logs.enriched";
  private static final int PARTITIONS = 3;
  private static final java.time.Instant START = java.time.Instant.parse("2015-05-17T10:00:00Z");
  private static final Duration IDLE_ROLL = Duration.ofSeconds(2);

  private LandingThroughputMain() {}

  /** Runs the comparison and prints a Markdown table. */
  public static void main(String[] args) throws Exception {
    // the harness builds the generated contract classes itself (Avro 1.12 trusts listed packages)
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.oxbow.contracts.avro");
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path root = Path.of(System.getProperty("oxbow.root", "."));
    Path data = Files.createTempDirectory("landing-bench");
    try (LocalKafka kafka = LocalKafka.builder().dataDir(data.resolve("kafka")).build().start()) {
      String bootstrap = kafka.bootstrapServers();
      produce(bootstrap, root, records);
      System.out.println(
          "| round | plain consumer rows/s | landing rows/s (with idle roll) | landing / plain"
              + " | steady landing rows/s | steady / plain |");
      System.out.println("|---|---|---|---|---|---|");
      List<Double> ratios = new ArrayList<>();
      List<Double> steadyRatios = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double plain = records / plainSeconds(bootstrap, records, "plain-" + round);
        LandingRun run = landing(bootstrap, data.resolve("lake-" + round), "landing-" + round);
        double landing = records / run.seconds();
        double steady = run.steadyRows() / run.steadySeconds();
        ratios.add(landing / plain);
        steadyRatios.add(steady / plain);
        System.out.printf(
            Locale.ROOT,
            "| %d | %,.0f | %,.0f | %.3f | %,.0f | %.3f |%n",
            round,
            plain,
            landing,
            landing / plain,
            steady,
            steady / plain);
      }
      ratios.sort(null);
      steadyRatios.sort(null);
      System.out.printf(
          Locale.ROOT,
          "%nmedian landing / plain ratio: %.3f with the idle roll, %.3f steady"
              + " (%,d records, %d partitions)%n",
          ratios.get(ratios.size() / 2),
          steadyRatios.get(steadyRatios.size() / 2),
          records,
          PARTITIONS);
    }
  }

  private static void produce(String bootstrap, Path root, int records) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    List<AccessLogEvent> sample = new ArrayList<>();
    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.COMBINED);
    for (String line :
        Files.readAllLines(
            root.resolve("samples/access-logs/elastic_apache_logs.log"), StandardCharsets.UTF_8)) {
      if (parser.parse(line.getBytes(StandardCharsets.UTF_8), "bench")
          instanceof ParseResult.Parsed parsed) {
        sample.add(parsed.event());
      }
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(Map.of("schema.registry.url", REGISTRY), false);
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(props, new StringSerializer(), serializer)) {
      for (int i = 0; i < records; i++) {
        AccessLogEvent base = sample.get(i % sample.size());
        // a busy site: 50 requests per second, so an hour holds 180,000 rows
        AccessLogEvent event =
            AccessLogEvent.newBuilder(base)
                .setEventTime(START.plusMillis(i * 20L))
                .setCountry("US")
                .build();
        producer.send(new ProducerRecord<>(TOPIC, event.getClient(), event));
      }
      producer.flush();
    }
  }

  private static double plainSeconds(String bootstrap, int records, String group) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    long start = System.nanoTime();
    long seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      while (seen < records) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        seen += batch.count();
      }
      consumer.commitSync();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * One landing run.
   *
   * @param seconds until every manifest reached the end offset (idle roll included)
   * @param steadyRows rows committed before the commits stalled waiting for the idle roll
   * @param steadySeconds until those rows were committed
   */
  private record LandingRun(double seconds, long steadyRows, double steadySeconds) {}

  private static LandingRun landing(String bootstrap, Path lake, String group) throws Exception {
    LocalLakeStorage storage = new LocalLakeStorage(lake);
    DatasetSpec spec = DatasetSpec.of(TOPIC, "event_time");
    LandingSettings settings =
        new LandingSettings(
            bootstrap,
            group,
            List.of(spec),
            // 25,000-row files; the last file of each partition closes on the 2 s idle roll, a
            // fixed tail the clock includes
            new RollPolicy(25_000, 64L << 20, IDLE_ROLL),
            Duration.ofMillis(100),
            Map.of());
    long[] ends = new long[PARTITIONS];
    try (KafkaConsumer<byte[], byte[]> probe =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      probe
          .endOffsets(
              java.util.stream.IntStream.range(0, PARTITIONS)
                  .mapToObj(p -> new org.apache.kafka.common.TopicPartition(TOPIC, p))
                  .toList())
          .forEach((tp, end) -> ends[tp.partition()] = end);
    }
    ManifestStore manifests = new ManifestStore(storage);
    long start = System.nanoTime();
    try (Lander lander =
        new Lander(
            settings,
            storage,
            new RegistryDecoder(REGISTRY, Map.of()),
            (record, reason, error) -> {
              throw new IllegalStateException(reason.name(), error);
            },
            Clock.systemUTC(),
            new SimpleMeterRegistry())) {
      Thread thread = new Thread(lander, "bench-lander");
      thread.start();
      long total = LongStream.of(ends).sum();
      long committed = 0;
      long lastChange = start;
      long steadyRows = -1;
      long steadyAt = start;
      while (committed < total) {
        thread.join(20);
        long now = System.nanoTime();
        long seen = committed(manifests, spec, ends.length);
        if (seen != committed) {
          if (now - lastChange >= IDLE_ROLL.toNanos() / 2 && committed > 0) {
            // the commits stalled; the last such stall is the wait for the idle roll
            steadyRows = committed;
            steadyAt = lastChange;
          }
          committed = seen;
          lastChange = now;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      lander.close();
      thread.join(10_000);
      if (steadyRows < 0) {
        return new LandingRun(seconds, total, seconds);
      }
      return new LandingRun(seconds, steadyRows, (steadyAt - start) / 1e9);
    }
  }

  /** Offsets committed by the manifests, summed over the partitions. */
  private static long committed(ManifestStore manifests, DatasetSpec spec, int partitions)
      throws Exception {
    long sum = 0;
    for (int p = 0; p < partitions; p++) {
      sum +=
          Math.max(
              0,
              manifests
                  .read(spec.dataset(), spec.topic(), p)
                  .map(PartitionManifest::nextOffset)
                  .orElse(0L));
    }
    return sum;
  }
}
