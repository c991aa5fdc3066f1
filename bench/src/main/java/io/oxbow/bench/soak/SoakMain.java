package io.oxbow.bench.soak;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Soak: {@code ./oxbow demo --no-replay} as a separate process (one JVM, heap {@code -Xmx}, default
 * 1g) under minutes of mixed traffic: one normal client (a 20-line log upload, a one-day query and
 * a registry listing, in turn), hostile clients sending {@link HostileRequests} back to back, and
 * slow uploaders. Reports after each minute the demo's heap (used, and live data after the last
 * full collection), the p99 of the normal requests (a request timing out after 30 s counts as a
 * failure of 30 s), and the hostile answers that were 5xx or slower than 1 s; at the end, log lines
 * acknowledged against lines found in Kafka (lost records).
 *
 * <pre>
 * java -Doxbow.root=. -cp bench/target/benchmarks.jar io.oxbow.bench.soak.SoakMain \
 *     [minutes=10] [heap=1g] [hostileClients=2] [slowClients=2]
 * </pre>
 */
public final class SoakMain {
  private static final Pattern HEAP_USED =
      Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+]+)$");
  private static final Pattern LIVE =
      Pattern.compile("(?m)^jvm_gc_live_data_size_bytes\\{[^}]*} ([0-9.E+]+)$");

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Long> normalMicros = new CopyOnWriteArrayList<>();
  private final AtomicLong normalFailures = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong hostileSent = new AtomicLong();
  private final AtomicLong hostile5xx = new AtomicLong();
  private final AtomicLong hostileSlow = new AtomicLong();
  private final Map<Integer, AtomicLong> hostileStatuses = new ConcurrentHashMap<>();
  private final AtomicLong slowCutOff = new AtomicLong();
  private final String source = "soak-" + UUID.randomUUID();
  private final Map<String, String> urls = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String heap = args.length > 1 ? args[1] : "1g";
    int hostileClients = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int slowClients = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    new SoakMain().run(minutes, heap, hostileClients, slowClients);
  }

  private void run(int minutes, String heap, int hostileClients, int slowClients) throws Exception {
    Path dataDir = Files.createTempDirectory("oxbow-soak");
    Process demo = startDemo(heap, dataDir);
    try {
      URI ingest = URI.create(urls.get("ingest"));
      URI api = URI.create(urls.get("api").replace("/api/v1", ""));
      URI registry = URI.create(urls.get("registry"));
      List<Thread> threads = new ArrayList<>();
      threads.add(daemon("soak-normal", () -> normal(ingest, api, registry)));
      for (int i = 0; i < hostileClients; i++) {
        HostileRequests hostile = new HostileRequests(i, ingest, api, registry, urls.get("key"));
        threads.add(daemon("soak-hostile-" + i, () -> hostile(hostile)));
      }
      for (int i = 0; i < slowClients; i++) {
        HostileRequests slow = new HostileRequests(100 + i, ingest, api, registry, urls.get("key"));
        threads.add(daemon("soak-slow-" + i, () -> slow(slow)));
      }
      System.out.printf(
          "soak: %d min, demo -Xmx%s, %d hostile and %d slow clients%n",
          minutes, heap, hostileClients, slowClients);
      System.out.println(
          "| minute | heap used MiB | live after GC MiB | normal requests | normal p99 ms"
              + " | normal failed | hostile sent | hostile 5xx | hostile > 1 s | slow cut off |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
      int seen = 0;
      long begin = System.nanoTime();
      for (int minute = 1; minute <= minutes; minute++) {
        long due = begin + TimeUnit.MINUTES.toNanos(minute);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
        List<Long> all = new ArrayList<>(normalMicros);
        List<Long> thisMinute = all.subList(seen, all.size());
        seen = all.size();
        String metrics = fetch(ingest.resolve("/metrics"));
        System.out.printf(
            "| %d | %s | %s | %d | %.1f | %d | %d | %d | %d | %d |%n",
            minute,
            mib(HEAP_USED, metrics),
            mib(LIVE, metrics),
            thisMinute.size(),
            p99(thisMinute) / 1000.0,
            normalFailures.get(),
            hostileSent.get(),
            hostile5xx.get(),
            hostileSlow.get(),
            slowCutOff.get());
      }
      running.set(false);
      for (Thread t : threads) {
        t.join(60_000); // each waits at most for its current request
      }
      long inKafka = countInKafka(urls.get("kafka"));
      System.out.printf(
          "normal p99 over the run: %.1f ms (%d requests); hostile answers by status: %s%n",
          p99(new ArrayList<>(normalMicros)) / 1000.0, normalMicros.size(), hostileStatuses);
      System.out.printf(
          "log lines acknowledged: %d, in Kafka: %s, lost: %s%n",
          acknowledged.get(),
          inKafka < 0 ? "unknown (the broker did not answer)" : inKafka,
          inKafka < 0 ? "unknown" : acknowledged.get() - inKafka);
    } finally {
      demo.destroy();
      if (!demo.waitFor(30, TimeUnit.SECONDS)) {
        demo.destroyForcibly();
      }
    }
  }

  private Process startDemo(String heap, Path dataDir) throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("oxbow.root", "."));
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + heap,
            "-Doxbow.root=" + root,
            "-cp",
            root.resolve("oxbow-cli/target/lib") + File.separator + "*",
            "io.oxbow.cli.OxbowCli",
            "demo",
            "--no-replay",
            "--data-dir",
            dataDir.toString(),
            "--port-offset",
            String.valueOf(20_000 + new java.util.Random().nextInt(40) * 100));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // the slow uploaders are part of the mix: the demo runs with a minimum upload rate (off by
    // default, see HttpLimits)
    builder.environment().putIfAbsent("OXBOW_HTTP_MIN_REQUEST_DATA_RATE", "16KiB");
    // every client here shares the demo's one key, so the per-key rate limit would refuse the
    // normal client along with the hostile ones; the soak measures what the services do with the
    // requests themselves
    builder.environment().putIfAbsent("OXBOW_INGEST_RATE_LIMIT", "0");
    Process demo = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
    for (String line; urls.size() < 5 && (line = out.readLine()) != null; ) {
      for (String prefix : List.of("kafka", "registry", "ingest", "api")) {
        if (line.startsWith(prefix + ": ")) {
          urls.put(prefix, line.substring(prefix.length() + 2).trim());
        }
      }
      if (line.startsWith("api key: ")) {
        urls.put("key", line.substring(9).trim());
      }
    }
    if (urls.size() < 5) {
      throw new IllegalStateException("the demo did not start: " + urls);
    }
    daemon("soak-demo-output", () -> drain(out));
    return demo;
  }

  private void normal(URI ingest, URI api, URI registry) {
    String lines = "127.0.0.1 - - [25/Nov/2026:10:00:00 +0000] \"GET /ok HTTP/1.1\" 200 1\n";
    for (int i = 0; running.get(); i++) {
      HttpRequest request =
          switch (i % 3) {
            case 0 ->
                HttpRequest.newBuilder(ingest.resolve("/v1/logs"))
                    .header("Content-Type", "text/plain")
                    .header("X-Oxbow-Source", source)
                    .header("Authorization", "Bearer " + urls.get("key"))
                    .POST(HttpRequest.BodyPublishers.ofString(lines.repeat(20)))
                    .build();
            case 1 ->
                HttpRequest.newBuilder(
                        api.resolve(
                            "/api/v1/views/traffic/query?from=2026-11-25T00:00:00Z"
                                + "&to=2026-11-26T00:00:00Z&granularity=hour"))
                    .header("Authorization", "Bearer " + urls.get("key"))
                    .build();
            default -> HttpRequest.newBuilder(registry.resolve("/subjects")).build();
          };
      long begin = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        normalMicros.add((System.nanoTime() - begin) / 1000);
        if (r.statusCode() != 200) {
          normalFailures.incrementAndGet();
        } else if (i % 3 == 0) {
          acknowledged.addAndGet(20);
        }
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (IOException e) {
        normalMicros.add((System.nanoTime() - begin) / 1000); // a timeout counts at its length
        normalFailures.incrementAndGet();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void hostile(HostileRequests hostile) {
    while (running.get()) {
      long begin = System.nanoTime();
      int status = hostile.sendOne();
      hostileSent.incrementAndGet();
      hostileStatuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
      if (status >= 500) {
        hostile5xx.incrementAndGet();
      }
      if (System.nanoTime() - begin > TimeUnit.SECONDS.toNanos(1)) {
        hostileSlow.incrementAndGet();
      }
    }
  }

  private void slow(HostileRequests slow) {
    while (running.get()) {
      if (slow.sendSlowly() == 408) {
        slowCutOff.incrementAndGet();
      }
    }
  }

  /** Lines of this run's source in Kafka, or -1 when the broker did not answer within 3 min. */
  private long countInKafka(String bootstrap) {
    byte[] key = source.getBytes(StandardCharsets.UTF_8);
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      Duration wait = Duration.ofMinutes(3);
      List<TopicPartition> partitions =
          consumer.partitionsFor("access-logs.raw", wait).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, wait);
      long deadline = System.nanoTime() + wait.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, wait) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          return -1;
        }
        for (var r : consumer.poll(Duration.ofMillis(500))) {
          count += Arrays.equals(r.key(), key) ? 1 : 0;
        }
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return -1;
    }
    return count;
  }

  private String fetch(URI uri) {
    try {
      return http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The sum of the matching samples in MiB, or "no answer" when the scrape failed. */
  private static String mib(Pattern pattern, String metrics) {
    Matcher m = pattern.matcher(metrics);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
      found = true;
    }
    return found ? String.valueOf((long) sum >> 20) : "no answer";
  }

  private static long p99(List<Long> micros) {
    if (micros.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(micros);
    sorted.sort(null);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // the demo's log: read so the process never blocks on a full pipe
      }
    } catch (IOException closed) {
      // the demo stopped
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
