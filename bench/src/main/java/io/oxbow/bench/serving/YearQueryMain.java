package io.oxbow.bench.serving;

import io.oxbow.localkafka.LocalKafka;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.http.security.ApiKeyRing;
import io.oxbow.serving.ServeConfig;
import io.oxbow.serving.ServingApp;
import io.oxbow.views.ViewCatalog;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A year by day: {@code GET /api/v1/views/traffic/query?granularity=day&groupBy=country
 * &metrics=requests,bytes} over a synthetic year through a real serving API (in-process HTTP, an
 * API key sent as a bearer token; answered from the {@code 1d} roll-up tier) against the same
 * answer computed by DuckDB over the view's minute-level batch files ({@link MinuteFilesQuery}).
 *
 * <p>The year ({@link SyntheticTraffic} at {@code perMinute} requests a minute, 30 countries, from
 * 2025-01-01) is written by the batch loader's own compaction ({@link YearLake}) and cached under
 * {@code bench/target/} (or {@code -Doxbow.bench.dir}). Two serving instances answer: one with the
 * defaults (its query cache keeps the rolled-up answer) and one with no caches at all ({@code
 * serve.query-cache-bytes=0}, {@code serve.batch-cache-bytes=0}: every query reads and decodes each
 * day file). Both answers are checked equal to DuckDB's, row for row on the exact metrics, before
 * the measurement and against DuckDB's last answer after it; the run fails on any difference. After
 * a warm-up round of the serving instances (the first check warmed DuckDB), each round runs, in a
 * rotating order, the DuckDB query once, the uncached instance once and the default instance {@code
 * perRound} times. {@code -Doxbow.bench.uncached=false} leaves the uncached instance out (its
 * queries decode the whole year and load the heap the default instance shares).
 *
 * <p>Run from the repository root: {@code java -cp bench/target/benchmarks.jar
 * io.oxbow.bench.serving.YearQueryMain [perMinute=60] [rounds=5] [perRound=20] [days=365]
 * [seed=2025]}.
 */
public final class YearQueryMain {
  static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  private YearQueryMain() {}

  /** Runs the benchmark; arguments as in the class comment. */
  public static void main(String[] args) throws Exception {
    int perMinute = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int days = args.length > 3 ? Integer.parseInt(args[3]) : 365;
    long seed = args.length > 4 ? Long.parseLong(args[4]) : 2025;
    Path dir =
        Path.of(System.getProperty("oxbow.bench.dir", "bench/target"))
            .resolve("year-traffic-" + perMinute + "-" + days + "-" + seed);
    SyntheticTraffic traffic = new SyntheticTraffic(seed, perMinute);
    long t0 = System.nanoTime();
    boolean written =
        YearLake.ensure(
            dir,
            traffic,
            START,
            days,
            day -> {
              if ((day - START.toEpochMilli()) / 86_400_000L % 30 == 29) {
                System.out.printf(
                    Locale.ROOT,
                    "  written up to %s (%.0f s)%n",
                    Instant.ofEpochMilli(day),
                    (System.nanoTime() - t0) / 1e9);
              }
            });
    Path lake = YearLake.lakeOf(dir);
    System.out.printf(
        Locale.ROOT,
        "%s: %d days of traffic, %d requests/min on weekdays (diurnal), 30 countries, seed %d%s%n",
        lake,
        days,
        perMinute,
        seed,
        written
            ? String.format(Locale.ROOT, ", written in %.0f s", (System.nanoTime() - t0) / 1e9)
            : ", reused");
    LakeSize.print(lake, "traffic");
    Instant end = START.plusSeconds(86_400L * days);
    Path kafkaDir = Files.createTempDirectory("oxbow-year-bench");
    try (LocalKafka kafka = LocalKafka.builder().dataDir(kafkaDir).build().start();
        MinuteFilesQuery duck = new MinuteFilesQuery(lake, "traffic")) {
      createSpeedTopics(kafka);
      ApiKeyRing.Generated key = ApiKeyRing.generate("year-bench", "read");
      boolean withUncached =
          Boolean.parseBoolean(System.getProperty("oxbow.bench.uncached", "true"));
      try (ServingApp defaults = start(kafka, lake, key, true);
          ServingApp uncached = withUncached ? start(kafka, lake, key, false) : null) {
        Side served = new Side("serving API, defaults", defaults.baseUrl(), key, START, end);
        List<Side> sides = new ArrayList<>(List.of(served));
        Side cold = null;
        if (uncached != null) {
          cold = new Side("serving API, no caches", uncached.baseUrl(), key, START, end);
          sides.add(cold);
        }
        List<List<DayRow>> lastDuck = new ArrayList<>(List.of(duck.query(START, end)));
        compare(sides, lastDuck.get(0));
        double[][] ms = measure(served, cold, duck, end, rounds, perRound, lastDuck);
        compare(sides, lastDuck.get(0));
        report(served.name, ms[0], null);
        if (cold != null) {
          report(cold.name, ms[1], null);
        }
        report("DuckDB over the minute files", ms[2], null);
        System.out.printf(
            Locale.ROOT,
            "DuckDB p50 / serving p50: defaults %.1fx%s (%d rounds)%n",
            median(ms[2]) / median(ms[0]),
            cold == null
                ? ""
                : String.format(Locale.ROOT, ", no caches %.1fx", median(ms[2]) / median(ms[1])),
            rounds);
      }
    } finally {
      try (Stream<Path> files = Files.walk(kafkaDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * One warm-up round of the serving instances (DuckDB was warmed by the first check), then {@code
   * rounds} rounds of all three; {@code lastDuck} receives DuckDB's last answer.
   */
  private static double[][] measure(
      Side served,
      Side cold,
      MinuteFilesQuery duck,
      Instant end,
      int rounds,
      int perRound,
      List<List<DayRow>> lastDuck)
      throws Exception {
    List<Double> servedMs = new ArrayList<>();
    List<Double> coldMs = new ArrayList<>();
    List<Double> duckMs = new ArrayList<>();
    for (int r = -1; r < rounds; r++) {
      for (int step = 0; step < 3; step++) {
        // rotate the order, so a load spike or a collection falls on each side alike
        switch ((step + Math.floorMod(r, 3)) % 3) {
          case 0 -> {
            for (int i = 0; i < perRound; i++) {
              keep(r, servedMs, served.timed());
            }
          }
          case 1 -> {
            if (cold != null) {
              keep(r, coldMs, cold.timed());
            }
          }
          default -> {
            if (r >= 0) {
              long t = System.nanoTime();
              lastDuck.set(0, duck.query(START, end));
              duckMs.add((System.nanoTime() - t) / 1e6);
            }
          }
        }
      }
      if (r >= 0) {
        System.out.printf(Locale.ROOT, "  round %d of %d done%n", r + 1, rounds);
      }
    }
    return new double[][] {sorted(servedMs), sorted(coldMs), sorted(duckMs)};
  }

  private static void keep(int round, List<Double> into, double ms) {
    if (round >= 0) {
      into.add(ms);
    }
  }

  /** Fails loudly unless every serving instance answers exactly what DuckDB computes. */
  private static void compare(List<Side> sides, List<DayRow> expected) throws Exception {
    for (Side side : sides) {
      List<DayRow> actual = DayRow.fromServingJson(side.body());
      if (!actual.equals(expected)) {
        String first = "";
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
          if (!actual.get(i).equals(expected.get(i))) {
            first = "; first difference: " + actual.get(i) + " vs DuckDB's " + expected.get(i);
            break;
          }
        }
        throw new IllegalStateException(
            side.name
                + " answered "
                + actual.size()
                + " rows, DuckDB "
                + expected.size()
                + ", not the same"
                + first);
      }
    }
    long requests = expected.stream().mapToLong(DayRow::requests).sum();
    System.out.printf(
        Locale.ROOT,
        "answers equal: %d rows (day x country), %,d requests in all%n",
        expected.size(),
        requests);
  }

  private static ServingApp start(
      LocalKafka kafka, Path lake, ApiKeyRing.Generated key, boolean caches) throws Exception {
    Map<String, String> flags = new HashMap<>();
    flags.put("serve.port", "0");
    flags.put("serve.bootstrap-servers", kafka.bootstrapServers());
    flags.put("serve.schema-registry-url", "mock://year-bench");
    flags.put("serve.lake-dir", lake.toString());
    // a year by day of 30 countries is 10,950 rows, past the default 10,000
    flags.put("serve.max-query-rows", "20000");
    // a query that reads every day file (the first one, and each one without caches) can take
    // longer than the default 10 s on a loaded machine; it is timed, not refused
    flags.put("serve.query-timeout", "300s");
    if (!caches) {
      flags.put("serve.query-cache-bytes", "0");
      flags.put("serve.batch-cache-bytes", "0");
    }
    ServingApp app =
        ServingApp.start(
            ServeConfig.from(ConfigSource.ofFlags(flags)),
            ViewCatalog.defaults(),
            ServeConfig.SECURITY.read(
                ConfigSource.ofFlags(Map.of("serve.api-keys", key.configEntry()))));
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (http.send(
                HttpRequest.newBuilder(URI.create(app.baseUrl() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode()
        != 200) {
      if (System.nanoTime() > deadline) {
        app.close();
        throw new IllegalStateException("the serving API was not ready after 120 s");
      }
      Thread.sleep(100);
    }
    return app;
  }

  private static void createSpeedTopics(LocalKafka kafka) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              ViewCatalog.defaults().names().stream()
                  .map(
                      v ->
                          new NewTopic("views.speed." + v, 1, (short) 1)
                              .configs(Map.of("cleanup.policy", "compact")))
                  .toList())
          .all()
          .get();
    }
  }

  private static double[] sorted(List<Double> ms) {
    double[] out = ms.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(out);
    return out;
  }

  private static double median(double[] sorted) {
    return sorted[sorted.length / 2];
  }

  private static void report(String name, double[] sorted, double[] baseline) {
    QueryLatencyMain.report(name, sorted, baseline);
  }

  /** One serving instance asked the benchmark's query with the key. */
  private static final class Side {
    private final String name;
    private final HttpClient http = HttpClient.newHttpClient();
    private final HttpRequest request;

    Side(String name, String baseUrl, ApiKeyRing.Generated key, Instant from, Instant to) {
      this.name = name;
      this.request =
          HttpRequest.newBuilder(
                  URI.create(
                      baseUrl
                          + "/api/v1/views/traffic/query?from="
                          + from
                          + "&to="
                          + to
                          + "&granularity=day&groupBy=country&metrics=requests,bytes"))
              .header("Authorization", "Bearer " + key.key())
              .build();
    }

    String body() throws Exception {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            name + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    }

    double timed() throws Exception {
      long t = System.nanoTime();
      body();
      return (System.nanoTime() - t) / 1e6;
    }
  }
}
