package io.oxbow.bench.serving;

import static io.oxbow.bench.serving.QueryLatencyMain.START;

import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeLocation;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LakeStorages;
import io.oxbow.localkafka.LocalKafka;
import io.oxbow.localkafka.S3rver;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.serving.ServeConfig;
import io.oxbow.serving.ServingApp;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Query latency of the serving API over a local lake and over the same lake in S3-compatible
 * storage (s3rver on this machine, Node.js needed), in the same run: the 24 h range of the {@code
 * traffic} view at minute granularity grouped by country (20 h from the batch view, 4 h from the
 * speed topics, as {@link QueryLatencyMain}), in three cache states:
 *
 * <ul>
 *   <li>defaults: the rolled-up parts are cached; each query still reads the view's manifest and
 *       lists its folder (the batch version), so this is the lake's per-query cost;
 *   <li>no query cache: every query rolls up all windows from the decoded files kept in memory;
 *   <li>no caches at all: every query also downloads and decodes each hour's file (20 GETs).
 * </ul>
 *
 * <p>Run from the repository root: {@code java -cp bench/target/benchmarks.jar
 * io.oxbow.bench.serving.LakeLatencyMain [eventsPerMinute=100] [queries=300]}. Prints p50/p99 per
 * case and lake, and the S3/local ratio of each.
 */
public final class LakeLatencyMain {
  private static final String BUCKET = "bench";

  private LakeLatencyMain() {}

  /** Runs the benchmark; arguments: events per minute, measured queries per case. */
  public static void main(String[] args) throws Exception {
    int perMinute = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path work = Files.createTempDirectory("oxbow-lake-bench");
    try (S3rver s3 = S3rver.start(BUCKET)) {
      run(perMinute, queries, work, s3);
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(int perMinute, int queries, Path work, S3rver s3) throws Exception {
    ViewFolder traffic = ViewCatalog.defaults().folder("traffic");
    Map<GroupKey, Aggregate> groups = traffic.fold(QueryLatencyMain.events(perMinute));
    Instant watermark = START.plusSeconds(20 * 3600);
    LakeLocation local = LakeLocation.local(work.resolve("lake"));
    LakeLocation remote =
        LakeLocation.s3(
            URI.create("s3://" + BUCKET + "/lake"), URI.create(s3.endpoint()), "S3RVER", "S3RVER");
    LongSummaryStatistics files = new LongSummaryStatistics();
    for (LakeLocation lake : new LakeLocation[] {local, remote}) {
      try (LakeStorage storage = LakeStorages.open(lake, "oxbow-bench-staging")) {
        BatchViewFiles.publish(storage, traffic, groups, watermark);
        if (lake == remote) {
          storage.listObjects(LakeLayout.viewFolder("traffic")).stream()
              .filter(o -> o.key().endsWith(".parquet"))
              .forEach(o -> files.accept(o.size()));
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "traffic view: %d groups over 24 h (%d events/min), batch to 20:00 in %d hour files"
            + " of %d-%d bytes (%d in all)%n",
        groups.size(),
        perMinute,
        files.getCount(),
        files.getMin(),
        files.getMax(),
        files.getSum());
    try (LocalKafka kafka = LocalKafka.builder().dataDir(work.resolve("kafka")).build().start()) {
      String registry = "mock://lake-bench";
      QueryLatencyMain.publishSpeed(
          kafka.bootstrapServers(), registry, "views.speed.", traffic, groups);
      String path =
          "/api/v1/views/traffic/query?from="
              + START
              + "&to="
              + START.plusSeconds(86_400)
              + "&granularity=minute&groupBy=country&metrics=requests,visitors,bytes";
      HttpClient http = HttpClient.newHttpClient();
      String[][] cases = {
        {"defaults", "64MiB", "128MiB"},
        {"no query cache", "0", "128MiB"},
        {"no caches (download every file)", "0", "0"}
      };
      for (String[] c : cases) {
        int n = c[2].equals("0") ? Math.max(20, queries / 10) : queries;
        double[] localMs = timed(http, config(kafka, registry, local, s3, c[1], c[2]), path, n);
        double[] s3Ms = timed(http, config(kafka, registry, remote, s3, c[1], c[2]), path, n);
        QueryLatencyMain.report("local lake, " + c[0], localMs, null);
        QueryLatencyMain.report("S3 lake,    " + c[0], s3Ms, localMs);
        System.out.printf(
            Locale.ROOT,
            "  S3/local: p50 %.2fx, p99 %.2fx (%d queries)%n",
            percentile(s3Ms, 0.50) / percentile(localMs, 0.50),
            percentile(s3Ms, 0.99) / percentile(localMs, 0.99),
            n);
      }
    }
  }

  /** Starts an instance with {@code config}, checks its answer, times {@code n} queries. */
  private static double[] timed(HttpClient http, ServeConfig config, String path, int n)
      throws Exception {
    try (ServingApp app = ServingApp.start(config)) {
      while (QueryLatencyMain.get(http, app.baseUrl() + "/health/ready").statusCode() != 200) {
        Thread.sleep(100);
      }
      return QueryLatencyMain.measure(http, app.baseUrl() + path, n);
    }
  }

  private static ServeConfig config(
      LocalKafka kafka,
      String registry,
      LakeLocation lake,
      S3rver s3,
      String queryCache,
      String batchCache) {
    Map<String, String> flags = new HashMap<>();
    flags.put("serve.port", "0");
    flags.put("serve.bootstrap-servers", kafka.bootstrapServers());
    flags.put("serve.schema-registry-url", registry);
    flags.put("serve.max-query-rows", "100000");
    flags.put("serve.query-cache-bytes", queryCache);
    flags.put("serve.batch-cache-bytes", batchCache);
    if (lake.uri().isPresent()) {
      flags.put("serve.lake-uri", lake.uri().get().toString());
      flags.put("serve.s3-endpoint", s3.endpoint());
      flags.put("serve.s3-access-key", "S3RVER");
      flags.put("serve.s3-secret-key", "S3RVER");
    } else {
      flags.put("serve.lake-dir", lake.dir().toString());
    }
    return ServeConfig.from(ConfigSource.ofFlags(flags));
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
  }
}
