package io.oxbow.bench.batch;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.batch.upstream.TopicInputs;
import io.oxbow.batch.view.BatchCompactor;
import io.oxbow.batch.view.PartialWriter;
import io.oxbow.batch.view.WatermarkPolicy;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.Aggregate;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import io.oxbow.views.metric.MetricState;
import io.oxbow.views.metric.MetricValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Compaction cycle time of the same closed hours with one batch-loader instance against two, on
 * copies of one local lake in the same run. The lake holds the access-log sample (parsed) repeated
 * over {@code partitions} partitions and {@code hours} closed hours, each partition hour landed as
 * {@code files} small files. Each round copies the lake three times and times:
 *
 * <ul>
 *   <li><b>one instance</b>: it lands every partition, so its compactor folds them all itself and
 *       publishes, in one cycle;
 *   <li><b>two here</b>: two threads, each with its own {@link LocalLakeStorage} (its own staging
 *       folder and readers, sharing nothing but the lake's directory): the compacting instance,
 *       landing the even partitions, runs its cycle (the hours wait for the odd partitions'
 *       partials, and it folds its own into partials meanwhile) while the other folds the odd
 *       partitions into partials; then the compacting instance's next cycle merges them all. On a
 *       machine shared with other work the two threads may not get a core each;
 *   <li><b>two, a machine each</b>: the same three steps timed one after the other, each alone; the
 *       cycle is the longer of the two folds plus the merge, what two instances on machines of
 *       their own (reading one shared lake) take.
 * </ul>
 *
 * Every mode must publish the same view groups (checked: keys, record counts, metric state bytes;
 * of a quantiles sketch, whose compaction past k values is randomized, n, min and max). The wait of
 * the compacting instance for the other's partials (at most one {@code batch.compaction-interval})
 * is scheduling, not work, and is not in the clock. Prints a Markdown table and the median ratios.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.oxbow.bench.batch.CompactionScalingMain
 * [partitions=4] [hours=4] [rowsPerPartitionHour=15000] [files=4] [rounds=5]</pre>
 */
public final class CompactionScalingMain {
  static {
    // the harness builds the generated contract classes itself (Avro 1.12 trusts listed packages);
    // set before the view catalog below loads Avro
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.oxbow.contracts.avro");
  }

  private static final String TOPIC = "bench.access-logs.enriched";
  private static final DatasetSpec SPEC =
      DatasetSpec.of(TOPIC, "event_time").feeding("access-logs.enriched");
  private static final long START = Instant.parse("2015-05-17T00:00:00Z").toEpochMilli();
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();
  private static final BiPredicate<String, Integer> EVEN = (topic, p) -> p % 2 == 0;
  private static final BiPredicate<String, Integer> ODD = (topic, p) -> p % 2 == 1;

  private CompactionScalingMain() {}

  /** Runs the comparison and prints a Markdown table. */
  public static void main(String[] args) throws Exception {
    int partitions = arg(args, 0, 4);
    int hours = arg(args, 1, 4);
    int rows = arg(args, 2, 15_000);
    int files = arg(args, 3, 4);
    int rounds = arg(args, 4, 5);
    Path root = Path.of(System.getProperty("oxbow.root", "."));
    Path work = Files.createTempDirectory("compaction-bench");
    Path template = work.resolve("template");
    land(new LocalLakeStorage(template), sample(root), partitions, hours, rows, files);
    System.out.printf(
        Locale.ROOT,
        "%d partitions x %d hours x %,d rows (%d files per partition hour), %d cores%n%n",
        partitions,
        hours,
        rows,
        files,
        Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| round | one instance s | two here s | two, a machine each s"
            + " | one / two here | one / two, a machine each |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    List<Double> ratios = new ArrayList<>();
    List<Double> modelledRatios = new ArrayList<>();
    // round 0 warms the JIT up and is not counted; the modes take turns at going first
    for (int round = 0; round <= rounds; round++) {
      Path one = copy(template, work.resolve(round + "-one"));
      Path two = copy(template, work.resolve(round + "-two"));
      Path apart = copy(template, work.resolve(round + "-apart"));
      double[] modelled = new double[1];
      List<Timed> modes =
          List.of(
              () -> compactor(new LocalLakeStorage(one)).runOnce(now(hours)),
              () -> twoInstances(two, hours),
              () -> modelled[0] = twoMachines(apart, hours));
      double[] seconds = new double[modes.size()];
      for (int i = 0; i < modes.size(); i++) {
        int mode = (i + round) % modes.size();
        seconds[mode] = time(modes.get(mode));
      }
      checkSame(one, two, apart);
      if (round > 0) {
        ratios.add(seconds[0] / seconds[1]);
        modelledRatios.add(seconds[0] / modelled[0]);
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
          round == 0 ? "warm-up" : String.valueOf(round),
          seconds[0],
          seconds[1],
          modelled[0],
          seconds[0] / seconds[1],
          seconds[0] / modelled[0]);
    }
    System.out.printf(
        Locale.ROOT,
        "%nmedian one / two instances here: %.2f; with a machine each: %.2f%n",
        median(ratios),
        median(modelledRatios));
    delete(work);
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static int arg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }

  /** A wall clock at which every landed hour is closed by event time. */
  private static long now(int hours) {
    return START + (hours + 2) * LakeLayout.HOUR_MS;
  }

  private static BatchCompactor compactor(LakeStorage lake) {
    return new BatchCompactor(
        lake,
        List.of(SPEC),
        CATALOG,
        new WatermarkPolicy(Duration.ofMinutes(10), Duration.ofMinutes(5)),
        topic -> TopicInputs.withoutUpstream(partitionsOf(lake)));
  }

  private static int partitionsOf(LakeStorage lake) {
    try {
      return new ManifestStore(lake).readAll(SPEC.dataset()).size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PartialWriter writer(LakeStorage lake) {
    return new PartialWriter(
        lake, List.of(SPEC), CATALOG, Duration.ofMinutes(10), Duration.ofMinutes(5));
  }

  private static void twoInstances(Path lake, int hours) throws Exception {
    LocalLakeStorage leader = new LocalLakeStorage(lake);
    LocalLakeStorage other = new LocalLakeStorage(lake);
    BatchCompactor compactor = compactor(leader);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> waiting = pool.submit(() -> compactor.runOnce(now(hours), EVEN));
      Future<Integer> theirs = pool.submit(() -> writer(other).runOnce(now(hours), ODD));
      waiting.get();
      theirs.get();
    } finally {
      pool.shutdown();
    }
    compactor.runOnce(now(hours), EVEN);
  }

  /**
   * Two instances on machines of their own, modelled on this one: the compacting instance's waiting
   * cycle (folding its own partitions into partials) and the other's fold timed alone, one after
   * the other, then the merge.
   *
   * @return the longer of the two folds plus the merge, in seconds
   */
  private static double twoMachines(Path lake, int hours) throws Exception {
    BatchCompactor compactor = compactor(new LocalLakeStorage(lake));
    LocalLakeStorage other = new LocalLakeStorage(lake);
    double mine = time(() -> compactor.runOnce(now(hours), EVEN));
    double theirs = time(() -> writer(other).runOnce(now(hours), ODD));
    double merge = time(() -> compactor.runOnce(now(hours), EVEN));
    return Math.max(mine, theirs) + merge;
  }

  /**
   * Fails when a view hour of one of the lakes holds other groups than the first's: other keys,
   * record counts or metric state bytes. A quantiles sketch past its k values compacts at random
   * (two folds of the same rows differ), so of those n, min and max are compared.
   */
  private static void checkSame(Path first, Path... others) throws IOException {
    LocalLakeStorage reference = new LocalLakeStorage(first);
    ViewManifest expected = new ViewManifestStore(reference).read();
    for (ViewFolder view : CATALOG.folders()) {
      var hours = expected.view(view.name(), SPEC.dataset()).hours();
      for (var hour : hours.entrySet()) {
        List<Object> groups =
            comparable(
                view, rows(reference, view.name(), hour.getKey(), hour.getValue().version()));
        for (Path other : others) {
          LocalLakeStorage lake = new LocalLakeStorage(other);
          var version =
              new ViewManifestStore(lake).read().view(view.name(), SPEC.dataset()).hours();
          List<GenericRecord> otherRows =
              rows(lake, view.name(), hour.getKey(), version.get(hour.getKey()).version());
          if (!groups.equals(comparable(view, otherRows))) {
            throw new IllegalStateException(
                "view " + view.name() + " differs in " + other + " at hour " + hour.getKey());
          }
        }
      }
    }
  }

  private static List<Object> comparable(ViewFolder view, List<GenericRecord> rows) {
    List<Object> out = new ArrayList<>();
    for (GenericRecord row : rows) {
      Aggregate aggregate = view.codec().fromAvro(row);
      out.add(view.codec().keyOf(row));
      out.add(aggregate.records());
      for (MetricState state : aggregate.states()) {
        out.add(
            state.readOut() instanceof MetricValue.Quantiles q
                ? List.of(q.n(), String.valueOf(q.min()), String.valueOf(q.max()))
                : HexFormat.of().formatHex(state.toBytes()));
      }
    }
    return out;
  }

  private static List<GenericRecord> rows(LakeStorage lake, String view, long hour, long version)
      throws IOException {
    try (LakeStorage.LocalCopy copy = lake.localCopy(LakeLayout.viewFileKey(view, hour, version))) {
      return ParquetFiles.readAll(copy.path());
    }
  }

  private interface Timed {
    void run() throws Exception;
  }

  private static double time(Timed work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static List<AccessLogEvent> sample(Path root) throws IOException {
    List<AccessLogEvent> sample = new ArrayList<>();
    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.COMBINED);
    String[] countries = {"US", "DE", "FR", "JP", "BR"};
    for (String line :
        Files.readAllLines(
            root.resolve("samples/access-logs/elastic_apache_logs.log"), StandardCharsets.UTF_8)) {
      if (parser.parse(line.getBytes(StandardCharsets.UTF_8), "bench")
          instanceof ParseResult.Parsed parsed) {
        AccessLogEvent event = parsed.event();
        String country = countries[Math.floorMod(event.getClient().hashCode(), countries.length)];
        sample.add(AccessLogEvent.newBuilder(event).setCountry(country).build());
      }
    }
    return sample;
  }

  /** Lands the sample, repeated, as committed small files of every partition hour. */
  private static void land(
      LocalLakeStorage lake,
      List<AccessLogEvent> sample,
      int partitions,
      int hours,
      int rows,
      int files)
      throws IOException {
    SpecificData model = new SpecificData();
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    int next = 0;
    for (int p = 0; p < partitions; p++) {
      long offset = 0;
      for (int h = 0; h < hours; h++) {
        long hour = START + h * LakeLayout.HOUR_MS;
        int perFile = rows / files;
        for (int f = 0; f < files; f++) {
          LandedFile file =
              new LandedFile(SPEC.dataset(), TOPIC, p, offset, offset + perFile - 1, hour);
          Path staged = Files.createTempFile(lake.stagingDir(), "bench", ".parquet");
          try (ParquetWriter<GenericRecord> writer =
              ParquetFiles.writer(staged, AccessLogEvent.getClassSchema(), model)) {
            for (int i = 0; i < perFile; i++) {
              long at = hour + (long) (f * perFile + i) * LakeLayout.HOUR_MS / rows;
              AccessLogEvent base = sample.get(next++ % sample.size());
              writer.write(
                  AccessLogEvent.newBuilder(base).setEventTime(Instant.ofEpochMilli(at)).build());
            }
          }
          lake.publish(staged, file.key());
          offset += perFile;
        }
      }
      new ManifestStore(lake)
          .write(
              SPEC.dataset(),
              new PartitionManifest(
                  TOPIC, p, offset, START + (hours * 60L + 15) * 60_000L, 0L, false, 0L));
    }
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return to;
  }
}
