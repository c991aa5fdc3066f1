package io.oxbow.bench.ingest;

import io.oxbow.ingest.IngestApp;
import io.oxbow.ingest.IngestConfig;
import io.oxbow.localkafka.LocalKafka;
import io.oxbow.runtime.config.ConfigSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Ingest throughput over HTTP against Kafka's own {@code ProducerPerformance} on the same
 * in-process broker in the same run: 200-byte records, acks=all. The ingest side posts batches of
 * the agent's default size (500 lines, {@code text/plain}) from several concurrent clients (as
 * several agents would) and counts only records answered 200, i.e. committed in Kafka; it reports
 * records/s, MB/s of line bytes and p50/p99 request latency, and the ratio to the baseline.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.oxbow.bench.ingest.IngestThroughputMain [records]
 * [clients] [writers]</pre>
 */
public final class IngestThroughputMain {
  private static final int RECORD_SIZE = 200;
  private static final int BATCH_LINES = 500;
  private static final Pattern SUMMARY =
      Pattern.compile(
          "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg"
              + " latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");

  private IngestThroughputMain() {}

  /** One measured side. */
  record Result(
      String name, long records, double recordsPerSec, double mbPerSec, double p50, double p99) {}

  /** Runs both sides and prints a Markdown table. */
  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    String writers = args.length > 2 ? args[2] : "4";
    try (LocalKafka kafka = LocalKafka.builder().build().start()) {
      String bootstrap = kafka.bootstrapServers();
      producerPerformance(bootstrap, "warmup-pp", records / 5);
      Result baseline = producerPerformance(bootstrap, "bench-pp", records);
      Result ingest;
      IngestConfig config =
          IngestConfig.from(
              ConfigSource.ofFlags(
                  Map.of(
                      IngestConfig.BOOTSTRAP_SERVERS.key(), bootstrap,
                      IngestConfig.PORT.key(), "0",
                      IngestConfig.HOST.key(), "127.0.0.1",
                      IngestConfig.SCHEMA_REGISTRY_URL.key(), "mock://ingest-bench",
                      IngestConfig.WRITERS.key(), writers,
                      IngestConfig.LOGS_TOPIC.key(), "bench-ingest")));
      try (IngestApp app = IngestApp.builder(config).build().start()) {
        postAll(app.baseUrl(), records / 5, clients, "warmup");
        ingest = postAll(app.baseUrl(), records, clients, "bench");
      }
      System.out.println();
      System.out.println("| side | records | records/s | MB/s | p50 ms | p99 ms |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      for (Result r : List.of(baseline, ingest)) {
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %.0f | %.2f | %.1f | %.1f |%n",
            r.name(),
            r.records(),
            r.recordsPerSec(),
            r.mbPerSec(),
            r.p50(),
            r.p99());
      }
      System.out.printf(
          Locale.ROOT,
          "%nratio (ingest records/s / ProducerPerformance records/s): %.2f%n",
          ingest.recordsPerSec() / baseline.recordsPerSec());
    }
  }

  /** Kafka's own producer benchmark, its summary line parsed. */
  static Result producerPerformance(String bootstrap, String topic, int records) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ProducerPerformance.main(
          new String[] {
            "--topic",
            topic,
            "--num-records",
            String.valueOf(records),
            "--record-size",
            String.valueOf(RECORD_SIZE),
            "--throughput",
            "-1",
            "--producer-props",
            "bootstrap.servers=" + bootstrap,
            "acks=all",
            "enable.idempotence=true"
          });
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    Matcher m = SUMMARY.matcher(output);
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    if (last == null) {
      throw new IllegalStateException("no ProducerPerformance summary in:\n" + output);
    }
    Matcher s = SUMMARY.matcher(last);
    s.find();
    return new Result(
        "Kafka ProducerPerformance (acks=all)",
        Long.parseLong(s.group(1)),
        Double.parseDouble(s.group(2)),
        Double.parseDouble(s.group(3)),
        Double.parseDouble(s.group(6)),
        Double.parseDouble(s.group(8)));
  }

  /** Posts {@code records} lines in 500-line batches from {@code clients} threads. */
  static Result postAll(String baseUrl, int records, int clients, String tag) throws Exception {
    byte[] batch = batch(tag);
    int requests = records / BATCH_LINES;
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(baseUrl + "/v1/logs");
    AtomicInteger next = new AtomicInteger();
    long[] latencies = new long[requests];
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long begin = System.nanoTime();
    List<Future<Long>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      String source = tag + "-" + c;
      results.add(
          pool.submit(
              () -> {
                long accepted = 0;
                int i;
                while ((i = next.getAndIncrement()) < requests) {
                  long start = System.nanoTime();
                  HttpResponse<String> response =
                      http.send(
                          HttpRequest.newBuilder(uri)
                              .header("Content-Type", "text/plain")
                              .header("X-Oxbow-Source", source)
                              .POST(HttpRequest.BodyPublishers.ofByteArray(batch))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  latencies[i] = System.nanoTime() - start;
                  if (response.statusCode() == 200) {
                    accepted += BATCH_LINES;
                  }
                }
                return accepted;
              }));
    }
    long accepted = 0;
    for (Future<Long> f : results) {
      accepted += f.get();
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    pool.shutdown();
    Arrays.sort(latencies);
    return new Result(
        "oxbow ingest over HTTP (" + clients + " clients, " + BATCH_LINES + "-line batches)",
        accepted,
        accepted / seconds,
        accepted * (double) RECORD_SIZE / seconds / (1024 * 1024),
        latencies[(int) (requests * 0.50)] / 1e6,
        latencies[Math.min(requests - 1, (int) (requests * 0.99))] / 1e6);
  }

  private static byte[] batch(String tag) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < BATCH_LINES; i++) {
      String head =
          String.format(
              Locale.ROOT,
              "10.0.%d.%d - - [25/Nov/2026:10:00:00 +0000] \"GET /%s/%06d HTTP/1.1\" 200 %d ",
              i % 250,
              i % 200,
              tag,
              i,
              1000 + i);
      sb.append(head).append("x".repeat(RECORD_SIZE - 1 - head.length())).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
