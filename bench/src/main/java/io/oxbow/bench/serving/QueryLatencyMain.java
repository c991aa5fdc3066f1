package io.oxbow.bench.serving;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import io.oxbow.lake.LakeLocation;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LocalLakeStorage;
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
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Query latency of the serving API: a 24 h range of the {@code traffic} view at minute granularity
 * grouped by one dimension (country), the first 20 h answered from batch view Parquet and the last
 * 4 h from the speed view topics, over HTTP against an in-process broker. Baseline measured in the
 * same run: {@code GET /health/live} (the HTTP round trip alone); also a one-hour query, the 24 h
 * query without its distinct-count metric, and the 24 h query on a second instance with the query
 * cache off ({@code serve.query-cache-bytes=0}: every query rolls up all its windows). Checks first
 * that the cached answer, the first answer and the uncached one are the same bytes.
 *
 * <p>Then the same 24 h query on the demo's data ({@link DemoEvents}: the elastic sample's events
 * of 2015-05-18, batch to 20:00).
 *
 * <p>Run from the repository root: {@code java -cp bench/target/benchmarks.jar
 * io.oxbow.bench.serving.QueryLatencyMain [eventsPerMinute=100] [queries=300] [samples=samples]}.
 * Prints p50/p99 per case and the ratios.
 */
public final class QueryLatencyMain {
  static final Instant START = Instant.parse("2026-11-24T00:00:00Z");
  private static final List<String> COUNTRIES =
      List.of("US", "DE", "FR", "BR", "IN", "JP", "GB", "NL", "ES", "IT");

  private QueryLatencyMain() {}

  /** Runs the benchmark; arguments: events per minute, measured queries per case. */
  public static void main(String[] args) throws Exception {
    int perMinute = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path samples = Path.of(args.length > 2 ? args[2] : "samples");
    Path work = Files.createTempDirectory("oxbow-query-bench");
    try {
      run(perMinute, queries, samples, work);
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(int perMinute, int queries, Path samples, Path work) throws Exception {
    ViewFolder traffic = ViewCatalog.defaults().folder("traffic");
    Map<GroupKey, Aggregate> groups = traffic.fold(events(perMinute));
    Instant watermark = START.plusSeconds(20 * 3600);
    System.out.printf(
        Locale.ROOT,
        "traffic view: %d groups over 24 h (%d events/min)%n",
        groups.size(),
        perMinute);
    try (LocalKafka kafka = LocalKafka.builder().dataDir(work.resolve("kafka")).build().start()) {
      String registry = "mock://query-bench";
      publishSpeed(kafka.bootstrapServers(), registry, "views.speed.", traffic, groups);
      writeBatch(work.resolve("lake"), traffic, groups, watermark);
      Path lake = work.resolve("lake");
      try (ServingApp app =
              ServingApp.start(config(kafka, registry, lake, "views.speed.", 100_000));
          ServingApp uncached =
              ServingApp.start(config(kafka, registry, lake, "views.speed.", 0))) {
        HttpClient http = HttpClient.newHttpClient();
        while (get(http, app.baseUrl() + "/health/ready").statusCode() != 200
            || get(http, uncached.baseUrl() + "/health/ready").statusCode() != 200) {
          Thread.sleep(100);
        }
        String path =
            "/api/v1/views/traffic/query?from="
                + START
                + "&to="
                + START.plusSeconds(86_400)
                + "&granularity=minute&groupBy=country"
                + "&metrics=requests,visitors,bytes";
        String day = app.baseUrl() + path;
        String hour = day.replace("from=" + START, "from=" + START.plusSeconds(82_800));
        String exact = day.replace("metrics=requests,visitors,bytes", "metrics=requests,bytes");
        String live = app.baseUrl() + "/health/live";
        HttpResponse<String> answer = get(http, day);
        HttpResponse<String> cachedAnswer = get(http, day);
        HttpResponse<String> uncachedAnswer = get(http, uncached.baseUrl() + path);
        System.out.printf(
            Locale.ROOT,
            "24 h answer: status %d, %d bytes; cached answer %s; answer without the cache %s%n",
            answer.statusCode(),
            answer.body().length(),
            cachedAnswer.body().equals(answer.body()) ? "identical" : "DIFFERENT",
            uncachedAnswer.body().equals(answer.body()) ? "identical" : "DIFFERENT");
        double[] liveMs = measure(http, live, queries);
        double[] hourMs = measure(http, hour, queries);
        double[] dayMs = measure(http, day, queries);
        double[] exactMs = measure(http, exact, queries);
        double[] uncachedMs = measure(http, uncached.baseUrl() + path, Math.max(20, queries / 3));
        report("GET /health/live (baseline)", liveMs, null);
        report("1 h, minute, groupBy country", hourMs, liveMs);
        report("24 h, minute, groupBy country", dayMs, liveMs);
        report("  same, exact metrics only", exactMs, liveMs);
        report("  same as 24 h, without the cache", uncachedMs, liveMs);
      }
      demo(kafka, registry, work, samples, queries);
    }
  }

  /**
   * The same query on the demo's data: the elastic sample's events of 2015-05-18 (UTC), batch to
   * 20:00, speed all day, in a lake and speed topics of their own.
   */
  private static void demo(LocalKafka kafka, String registry, Path work, Path samples, int queries)
      throws Exception {
    Instant from = Instant.parse("2015-05-18T00:00:00Z");
    Instant to = from.plusSeconds(86_400);
    ViewFolder traffic = ViewCatalog.defaults().folder("traffic");
    List<AccessLogEvent> events = DemoEvents.read(samples, from, to);
    Map<GroupKey, Aggregate> groups = traffic.fold(events);
    String prefix = "demo.views.speed.";
    publishSpeed(kafka.bootstrapServers(), registry, prefix, traffic, groups);
    Path lake = work.resolve("demo-lake");
    writeBatch(lake, traffic, groups, from.plusSeconds(20 * 3600));
    try (ServingApp app = ServingApp.start(config(kafka, registry, lake, prefix, 100_000))) {
      HttpClient http = HttpClient.newHttpClient();
      while (get(http, app.baseUrl() + "/health/ready").statusCode() != 200) {
        Thread.sleep(100);
      }
      String day =
          app.baseUrl()
              + "/api/v1/views/traffic/query?from="
              + from
              + "&to="
              + to
              + "&granularity=minute&groupBy=country&metrics=requests,visitors,bytes";
      HttpResponse<String> answer = get(http, day);
      System.out.printf(
          Locale.ROOT,
          "demo data (elastic sample, %s): %d events, %d groups; 24 h answer: status %d, %d rows,"
              + " %d bytes%n",
          from.toString().substring(0, 10),
          events.size(),
          groups.size(),
          answer.statusCode(),
          answer.body().split("\"window_start\"", -1).length - 1,
          answer.body().length());
      double[] liveMs = measure(http, app.baseUrl() + "/health/live", queries);
      double[] dayMs = measure(http, day, queries);
      report("demo: GET /health/live (baseline)", liveMs, null);
      report("demo: 24 h, minute, groupBy country", dayMs, liveMs);
    }
  }

  private static ServeConfig config(
      LocalKafka kafka, String registry, Path lake, String prefix, long cacheRows) {
    return new ServeConfig(
        "127.0.0.1",
        0,
        kafka.bootstrapServers(),
        registry,
        LakeLocation.local(lake),
        Optional.empty(),
        prefix,
        "access-logs.dlq",
        "oxbow-stream",
        "oxbow-batch-loader",
        Optional.empty(),
        QueryLimits.of(100_000, 100_000),
        cacheRows == 0 ? 0 : QueryEngine.DEFAULT_CACHE_BYTES,
        QueryEngine.DEFAULT_CACHE_ENTRIES,
        ParquetBatchViews.DEFAULT_CACHE_BYTES,
        ParquetBatchViews.DEFAULT_CACHE_ENTRIES,
        io.oxbow.runtime.kafka.KafkaClientSecurity.none(),
        io.oxbow.serving.speed.SpeedViewStore.DEFAULT_MARGIN,
        QueryEngine.DEFAULT_MAX_GROUPS_PER_WINDOW);
  }

  static List<AccessLogEvent> events(int perMinute) {
    Random random = new Random(7);
    List<AccessLogEvent> events = new ArrayList<>(perMinute * 1440);
    for (int minute = 0; minute < 1440; minute++) {
      for (int i = 0; i < perMinute; i++) {
        int client = random.nextInt(5_000);
        int r = random.nextInt(100);
        events.add(
            AccessLogEvent.newBuilder()
                .setClient("10.1." + (client / 250) + "." + (client % 250))
                .setClientKind(ClientKind.IPV4)
                .setEventTime(START.plusMillis(minute * 60_000L + random.nextInt(60_000)))
                .setMethod("GET")
                .setPath("/p" + random.nextInt(50))
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

  static void publishSpeed(
      String bootstrap,
      String registry,
      String prefix,
      ViewFolder view,
      Map<GroupKey, Aggregate> groups) {
    Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
    AvroSerializer keys = new AvroSerializer();
    keys.configure(serde, true);
    AvroSerializer values = new AvroSerializer();
    values.configure(serde, false);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    try (KafkaProducer<Object, Object> producer = new KafkaProducer<>(props, keys, values)) {
      groups.forEach(
          (k, v) ->
              producer.send(
                  new ProducerRecord<>(
                      prefix + view.name(), view.codec().toAvroKey(k), view.codec().toAvro(k, v))));
      producer.flush();
    }
  }

  static void writeBatch(
      Path lake, ViewFolder view, Map<GroupKey, Aggregate> groups, Instant watermark)
      throws IOException {
    try (LakeStorage storage = new LocalLakeStorage(lake)) {
      BatchViewFiles.publish(storage, view, groups, watermark);
    }
  }

  static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Times {@code queries} GETs of {@code url} after a warm-up, each until the last byte of the body
   * has been received (read in 64 KiB pieces and discarded, as a streaming JSON parser would read
   * it, so the client does not add a 2 MB string per answer to the heap the server shares).
   */
  static double[] measure(HttpClient http, String url, int queries) throws Exception {
    byte[] buffer = new byte[65_536];
    for (int i = 0; i < Math.max(20, queries / 5); i++) {
      drain(http, url, buffer);
    }
    double[] ms = new double[queries];
    for (int i = 0; i < queries; i++) {
      long start = System.nanoTime();
      drain(http, url, buffer);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  private static void drain(HttpClient http, String url, byte[] buffer) throws Exception {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      while (body.read(buffer) >= 0) {
        // discard
      }
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode());
    }
  }

  static void report(String name, double[] sorted, double[] baseline) {
    double p50 = sorted[(int) (sorted.length * 0.50)];
    double p99 = sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))];
    String ratio =
        baseline == null
            ? ""
            : String.format(
                Locale.ROOT,
                "  (p50 %.1fx baseline)",
                p50 / baseline[(int) (baseline.length * 0.5)]);
    System.out.printf(Locale.ROOT, "%-34s p50 %8.2f ms  p99 %8.2f ms%s%n", name, p50, p99, ratio);
  }
}
