package io.oxbow.bench.serving;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import io.oxbow.lake.LakeLocation;
import io.oxbow.localkafka.LocalKafka;
import io.oxbow.registry.serde.AvroSerdeConfig;
import io.oxbow.registry.serde.AvroSerializer;
import io.oxbow.serving.ServeConfig;
import io.oxbow.serving.ServingApp;
import io.oxbow.serving.lake.ParquetBatchViews;
import io.oxbow.serving.query.QueryEngine;
import io.oxbow.serving.query.QueryLimits;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Memory and restart time of the serving API over a long history: simulates {@code days} (default
 * 30) of the {@code traffic} and {@code pages} views, folded by the views module from synthetic
 * access-log events, written straight to the speed topics (each record stamped with its window's
 * start, as the stream processor stamps a window's newest event time) and to the lake as batch view
 * Parquet, the batch watermark trailing the newest event by one hour. After the first day and after
 * the last, a serving API (in this JVM) is started on them, once bounded (the defaults: windows the
 * watermark passed leave memory, a start reads from the watermark on) and once unbounded ({@code
 * serve.speed-margin} longer than the history: everything read and kept, as before the bound).
 * Reports for each: time from start until the speed view is caught up (what {@code /health/ready}
 * waits for; polled in-process, as the endpoint reuses a result for a second), the speed groups
 * held, the live heap it adds (heap used after a full GC, minus the same before it started), and
 * the ratio of the last day to the first: the lowest of three starts (one for the unbounded API at
 * the last day), after an unmeasured start that loads and compiles the classes.
 *
 * <p>Run from the repository root: {@code java -Xmx2g -cp bench/target/benchmarks.jar
 * io.oxbow.bench.serving.SpeedMemoryMain [days=30] [eventsPerMinute=30] [paths=400]}.
 */
public final class SpeedMemoryMain {
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final List<String> COUNTRIES =
      List.of("US", "DE", "FR", "BR", "IN", "JP", "GB", "NL", "ES", "IT");
  private static final String PREFIX = "views.speed.";
  private static final String REGISTRY = "mock://speed-memory-bench";

  /** The default margin: what a serving API keeps and reads. */
  private static final Duration BOUNDED = Duration.ofHours(1);

  /** A margin longer than any history: everything read and kept, as before the bound. */
  private static final Duration UNBOUNDED = Duration.ofDays(3650);

  private SpeedMemoryMain() {}

  /** Runs the benchmark; arguments: days, events per minute, distinct paths. */
  public static void main(String[] args) throws Exception {
    int days = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int perMinute = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int paths = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    Path work = Files.createTempDirectory("oxbow-speed-memory");
    try (LocalKafka kafka = LocalKafka.builder().dataDir(work.resolve("kafka")).build().start()) {
      run(kafka, work.resolve("lake"), days, perMinute, paths);
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(LocalKafka kafka, Path lake, int days, int perMinute, int paths)
      throws Exception {
    ViewCatalog catalog = ViewCatalog.defaults();
    List<ViewFolder> views = List.of(catalog.folder("traffic"), catalog.folder("pages"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              views.stream()
                  .map(
                      v ->
                          new NewTopic(PREFIX + v.name(), 1, (short) 1)
                              .configs(Map.of("cleanup.policy", "compact")))
                  .toList())
          .all()
          .get();
    }
    System.out.printf(
        Locale.ROOT,
        "%d days of traffic and pages, %d events/min, %d paths; batch watermark 1 h behind%n",
        days,
        perMinute,
        paths);
    List<String> lines = new ArrayList<>();
    Measure firstBounded = null;
    Measure firstUnbounded = null;
    long records = 0;
    Random random = new Random(11);
    for (int day = 0; day < days; day++) {
      long t = System.nanoTime();
      List<AccessLogEvent> events = events(random, day, perMinute, paths);
      Instant end = START.plusSeconds((day + 1) * 86_400L);
      for (ViewFolder view : views) {
        Map<GroupKey, Aggregate> groups = view.fold(events);
        records += groups.size();
        publishSpeed(kafka.bootstrapServers(), view, groups);
        // the batch view is published through the lake module with its watermark an hour behind
        // the newest event (the day's last hour lives only in the speed topic)
        QueryLatencyMain.writeBatch(lake, view, groups, end.minusSeconds(3600));
      }
      System.out.printf(
          Locale.ROOT,
          "day %d written (%d speed records so far) in %.1f s%n",
          day + 1,
          records,
          (System.nanoTime() - t) / 1e9);
      if (day == 0) {
        // the first start in a JVM loads and compiles the classes: not measured
        measure(kafka, lake, BOUNDED);
      }
      if (day == 0 || day == days - 1) {
        Measure bounded = best(kafka, lake, BOUNDED, 3);
        Measure unbounded = best(kafka, lake, UNBOUNDED, day == 0 ? 3 : 1);
        lines.add(bounded.line("bounded (defaults)", day + 1, firstBounded));
        lines.add(unbounded.line("unbounded (margin > history)", day + 1, firstUnbounded));
        if (day == 0) {
          firstBounded = bounded;
          firstUnbounded = unbounded;
        }
      }
    }
    System.out.println();
    lines.forEach(System.out::println);
  }

  /** The lowest ready time and the lowest heap of {@code runs} starts (the machine is shared). */
  private static Measure best(LocalKafka kafka, Path lake, Duration margin, int runs)
      throws Exception {
    Measure best = measure(kafka, lake, margin);
    for (int i = 1; i < runs; i++) {
      Measure next = measure(kafka, lake, margin);
      best =
          new Measure(
              Math.min(best.readyMs, next.readyMs),
              next.groups,
              Math.min(best.heapBytes, next.heapBytes));
    }
    return best;
  }

  /**
   * Starts a serving API with {@code margin}, waits until it is ready and has dropped what the
   * watermark passed, and measures it.
   */
  private static Measure measure(LocalKafka kafka, Path lake, Duration margin) throws Exception {
    long before = liveHeap();
    long start = System.nanoTime();
    HttpClient http = HttpClient.newHttpClient();
    try (ServingApp app = ServingApp.start(config(kafka, lake, margin))) {
      // caught up: the speed topics read to their end offsets at start (/health/ready reports it
      // too, but reuses a result for http.readiness-cache, 1 s, which would round the time up)
      while (!app.caughtUp()) {
        Thread.sleep(5);
      }
      long readyMs = (System.nanoTime() - start) / 1_000_000;
      while (get(http, app.baseUrl() + "/health/ready").statusCode() != 200) {
        Thread.sleep(20);
      }
      // eviction runs every 5 s in the reader's thread
      Thread.sleep(6_000);
      String status = get(http, app.baseUrl() + "/api/v1/status").body();
      long groups = speedGroups(status, "traffic") + speedGroups(status, "pages");
      long heap = liveHeap() - before;
      return new Measure(readyMs, groups, heap);
    }
  }

  private static long speedGroups(String status, String view) {
    String marker = "\"" + view + "\":{";
    int at = status.indexOf(marker);
    int field = status.indexOf("\"speed_groups\":", at) + "\"speed_groups\":".length();
    int stop = field;
    while (stop < status.length() && Character.isDigit(status.charAt(stop))) {
      stop++;
    }
    return Long.parseLong(status.substring(field, stop));
  }

  /** Heap used after full collections (the live set), in bytes. */
  private static long liveHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * One serving API's figures.
   *
   * @param readyMs start to caught up
   * @param groups speed groups held after eviction
   * @param heapBytes live heap it added
   */
  private record Measure(long readyMs, long groups, long heapBytes) {
    String line(String name, int days, Measure first) {
      String ratio =
          first == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  "  ratio to day 1: caught up %.2fx, heap %.2fx",
                  (double) readyMs / first.readyMs,
                  (double) heapBytes / first.heapBytes);
      return String.format(
          Locale.ROOT,
          "%-30s %2d d: caught up in %6d ms, %8d speed groups, heap +%7.1f MiB%s",
          name,
          days,
          readyMs,
          groups,
          heapBytes / 1048576.0,
          ratio);
    }
  }

  /** A day of requests: countries, statuses, bots, and paths with a long tail of rare ones. */
  private static List<AccessLogEvent> events(Random random, int day, int perMinute, int paths) {
    List<AccessLogEvent> events = new ArrayList<>(perMinute * 1440);
    long dayStart = START.toEpochMilli() + day * 86_400_000L;
    for (int minute = 0; minute < 1440; minute++) {
      for (int i = 0; i < perMinute; i++) {
        int client = random.nextInt(20_000);
        int r = random.nextInt(100);
        // most requests go to a few pages, the rest spread over the long tail
        int path = r < 70 ? random.nextInt(20) : random.nextInt(paths);
        events.add(
            AccessLogEvent.newBuilder()
                .setClient(
                    "10." + (client / 65_536) + "." + (client / 256 % 256) + "." + client % 256)
                .setClientKind(ClientKind.IPV4)
                .setEventTime(
                    Instant.ofEpochMilli(dayStart + minute * 60_000L + random.nextInt(60_000)))
                .setMethod("GET")
                .setPath("/p" + path)
                .setStatus(r < 85 ? 200 : r < 95 ? 404 : 500)
                .setBytes((long) random.nextInt(100_000))
                .setLineBytes(120)
                .setCountry(COUNTRIES.get(client % COUNTRIES.size()))
                .setIsBot(client % 17 == 0)
                .build());
      }
    }
    return events;
  }

  private static void publishSpeed(
      String bootstrap, ViewFolder view, Map<GroupKey, Aggregate> groups) {
    Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY);
    AvroSerializer keys = new AvroSerializer();
    keys.configure(serde, true);
    AvroSerializer values = new AvroSerializer();
    values.configure(serde, false);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    try (KafkaProducer<Object, Object> producer = new KafkaProducer<>(props, keys, values)) {
      groups.forEach(
          (k, v) ->
              producer.send(
                  new ProducerRecord<>(
                      PREFIX + view.name(),
                      null,
                      k.windowStart(),
                      view.codec().toAvroKey(k),
                      view.codec().toAvro(k, v))));
      producer.flush();
    }
  }

  private static ServeConfig config(LocalKafka kafka, Path lake, Duration margin) {
    return new ServeConfig(
        "127.0.0.1",
        0,
        kafka.bootstrapServers(),
        REGISTRY,
        LakeLocation.local(lake),
        Optional.empty(),
        PREFIX,
        "access-logs.dlq",
        "oxbow-stream",
        "oxbow-batch-loader",
        Optional.empty(),
        QueryLimits.of(100_000, 100_000),
        QueryEngine.DEFAULT_CACHE_BYTES,
        QueryEngine.DEFAULT_CACHE_ENTRIES,
        ParquetBatchViews.DEFAULT_CACHE_BYTES,
        ParquetBatchViews.DEFAULT_CACHE_ENTRIES,
        io.oxbow.runtime.kafka.KafkaClientSecurity.none(),
        margin,
        QueryEngine.DEFAULT_MAX_GROUPS_PER_WINDOW);
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
