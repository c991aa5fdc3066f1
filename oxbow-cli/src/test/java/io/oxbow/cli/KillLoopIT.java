package io.oxbow.cli;

import static io.oxbow.cli.ReferenceRun.countBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.batch.landing.DatasetReader;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.AttributedOrder;
import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.registry.server.SchemaRegistryServer;
import io.oxbow.stream.StreamConfig;
import io.oxbow.stream.geoip.GeoIpLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 loop over real processes. Broker and registry run in the test JVM, the bundled geo-IP
 * ranges are loaded, and the stream processor, batch loader and ingest app run as separate {@code
 * oxbow} processes with their real state directories. The bundled access logs and orders derived
 * from them are posted to the ingest app by a client that retries each request (same
 * Idempotency-Key) until acknowledged. Meanwhile the stream processor is killed with SIGKILL {@link
 * #STREAM_KILLS} times at seeded random moments (during the global store's restore, during its
 * first processing, in steady state), the batch loader and the ingest app {@link #OTHER_KILLS}
 * times each, every one restarted at once with the same command.
 *
 * <p>After catch-up: the raw topic holds every posted line once and the orders topic every order
 * once; the enriched topic (read_committed), {@code orders.attributed} and the speed views equal
 * those of a reference run without kills (an in-process stream processor over copies of the same
 * input, fed in the same two phases); the lake holds every enriched record exactly once. Prints the
 * seed (replay with {@code -Doxbow.killloop.seed=N}) and the recovery times (kill to ready).
 *
 * <p>Orders are sent only after the stream processor consumed every page view (in both runs):
 * attribution depends on whether an order's page views were processed before it, which is a
 * question of timing, not of recovery.
 */
@ExtendWith(KafkaBackendExtension.class)
class KillLoopIT {
  static final int STREAM_KILLS = Integer.getInteger("oxbow.killloop.stream-kills", 20);
  static final int OTHER_KILLS = 3;
  private static final Path ROOT = Path.of(System.getProperty("oxbow.root", ".."));
  private static final Duration SEND_EVERY = Duration.ofMillis(1200);
  private static final String GRACE = "36500d"; // the 2015 sample counts in the speed views

  private final String id = UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path dir;

  @Test
  void shouldHoldExactlyWhatARunWithoutKillsHolds(KafkaBackend kafka) throws Exception {
    long seed = Long.getLong("oxbow.killloop.seed", new SecureRandom().nextLong());
    System.out.println("kill loop seed: " + seed + " (replay: -Doxbow.killloop.seed=" + seed + ")");
    Random random = new Random(seed);
    String bootstrap = kafka.bootstrapServers();
    String live = "kl-" + id + ".";
    String ref = "klref-" + id + ".";
    StreamConfig.Topics topics = StreamConfig.Topics.DEFAULT.prefixed(live);
    KillLoopInput input = KillLoopInput.sample();
    ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
    try (SchemaRegistryServer registry =
            SchemaRegistryServer.builder(bootstrap).topic("_schemas-kl-" + id).port(0).start();
        TopicTool kafkaTopics = new TopicTool(bootstrap, registry.url())) {
      createInputTopics(kafkaTopics, live);
      createInputTopics(kafkaTopics, ref);
      loadGeoIp(bootstrap, registry.url(), topics.geoip());
      String streamGroup = "kl-stream-" + id;
      try (RestartableService stream = stream(bootstrap, registry.url(), live, streamGroup);
          RestartableService batch = batch(bootstrap, registry.url(), live);
          RestartableService ingest = ingest(bootstrap, registry.url(), live)) {
        stream.start().awaitReady();
        batch.start().awaitReady();
        String ingestUrl = ingest.start().awaitReady();
        RetryingIngestClient client = new RetryingIngestClient(URI.create(ingestUrl));
        CompletableFuture<Void> fed =
            feed(
                feeder,
                client,
                input,
                new IngestKills(ingest, random, input.logRequests().size()),
                () -> kafkaTopics.consumed(streamGroup, List.of(topics.raw(), topics.enriched())));

        long loopStart = System.nanoTime();
        List<String> phases = killLoop(random, stream, batch);
        fed.get(5, TimeUnit.MINUTES);
        stream.awaitReady();
        System.out.printf(
            "kill loop: %d stream kills %s, %d batch kills, %d ingest kills, %d client retries,"
                + " %.0f s%n",
            stream.kills(),
            phases,
            batch.kills(),
            ingest.kills(),
            client.retries(),
            (System.nanoTime() - loopStart) / 1e9);
        report("stream", stream.recoveries());
        report("batch", batch.recoveries());
        report("ingest", ingest.recoveries());
        assertThat(ingest.kills()).isEqualTo(OTHER_KILLS);
        assertThat(client.retries())
            .as("requests resent while the ingest app was down")
            .isPositive();

        // nothing lost or doubled on the way in
        assertThat(countBy(kafkaTopics.values(topics.raw(), RawLogLine.class), KillLoopIT::line))
            .isEqualTo(countBy(input.lines(), l -> l));
        assertThat(countBy(kafkaTopics.values(topics.orders(), Order.class), o -> o.getOrderId()))
            .isEqualTo(countBy(input.orderIds(), o -> o));

        ReferenceRun expected =
            ReferenceRun.of(
                kafkaTopics,
                bootstrap,
                registry.url(),
                live,
                ref,
                Duration.ofDays(36500),
                dir.resolve("reference-state"));
        assertThat(expected.attributed()).hasSize(input.orderIds().size());

        await("the killed pipeline to hold what the reference run holds")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(2))
            .untilAsserted(
                () -> {
                  assertThat(
                          countBy(
                              kafkaTopics.values(topics.enriched(), AccessLogEvent.class),
                              Object::toString))
                      .isEqualTo(expected.enriched());
                  assertThat(
                          countBy(
                              kafkaTopics.values(topics.attributed(), AttributedOrder.class),
                              Object::toString))
                      .isEqualTo(expected.attributed());
                  assertThat(ReferenceRun.speedViews(kafkaTopics, topics))
                      .isEqualTo(expected.speedViews());
                });
        Map<String, Long> enrichedRows =
            countBy(kafkaTopics.values(topics.enriched(), AccessLogEvent.class), KillLoopIT::row);
        await("the lake to hold every enriched record exactly once")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(2))
            .untilAsserted(() -> assertThat(lakeRows(topics.enriched())).isEqualTo(enrichedRows));

        assertThat(stream.processesLogging("Global thread has died")).isZero();
        assertThat(stream.processesLogging("was not clean: deleting the global store state"))
            .as("restarts that rebuilt the global store")
            .isPositive();
        assertThat(stream.isAlive() && batch.isAlive() && ingest.isAlive()).isTrue();
      }
    } finally {
      feeder.shutdownNow();
    }
  }

  /**
   * Kills the stream processor {@link #STREAM_KILLS} times, each time in a phase drawn from {@code
   * random}, and the batch loader {@link #OTHER_KILLS} times after drawn stream kills. Returns how
   * many stream kills fell in each phase.
   */
  private List<String> killLoop(Random random, RestartableService stream, RestartableService batch)
      throws Exception {
    List<Integer> batchKills = new ArrayList<>();
    for (int i = 0; i < OTHER_KILLS; i++) {
      batchKills.add(random.nextInt(STREAM_KILLS));
    }
    Map<String, Integer> phases = new TreeMap<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int kill = 0; kill < STREAM_KILLS; kill++) {
        long delay;
        switch (random.nextInt(3)) {
          case 0 -> {
            // Kafka Streams starts (and restores the global store) right after this line
            stream.awaitLog("Kafka Streams CREATED -> REBALANCING");
            delay = random.nextInt(1500);
          }
          case 1 -> {
            stream.awaitReady();
            delay = random.nextInt(1000);
          }
          default -> {
            stream.awaitReady();
            delay = 2000 + random.nextInt(4000);
          }
        }
        timer.schedule(() -> null, delay, TimeUnit.MILLISECONDS).get();
        String phase = stream.isReady() ? (delay < 1000 ? "first" : "steady") : "restore";
        phases.merge(phase, 1, Integer::sum);
        stream.killAndRestart();
        for (int at : batchKills) {
          if (at == kill) {
            batch.killAndRestart();
            batch.awaitReady();
          }
        }
      }
    } finally {
      timer.shutdownNow();
    }
    List<String> out = new ArrayList<>();
    phases.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  /**
   * Posts every log request, one each {@link #SEND_EVERY}, killing the ingest app while some are
   * sent; then waits until {@code pageViewsDone} (the stream processor consumed every line and
   * every page view), then posts the orders.
   */
  private static CompletableFuture<Void> feed(
      ScheduledExecutorService feeder,
      RetryingIngestClient client,
      KillLoopInput input,
      IngestKills ingestKills,
      Check pageViewsDone) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    List<KillLoopInput.Request> logs = input.logRequests();
    List<KillLoopInput.Request> orders = input.orderRequests();
    int[] next = {0, 0};
    boolean[] ordersOpen = {false};
    feeder.scheduleWithFixedDelay(
        () -> {
          try {
            if (next[0] < logs.size()) {
              ingestKills.maybeKillWhileSending(next[0]);
              KillLoopInput.Request r = logs.get(next[0]++);
              client.postLines(r.key(), r.source(), r.body());
            } else if (!ordersOpen[0]) {
              ingestKills.awaitRestarts();
              ordersOpen[0] = pageViewsDone.check();
            } else if (next[1] < orders.size()) {
              KillLoopInput.Request r = orders.get(next[1]++);
              client.postOrders(r.key(), new String(r.body(), StandardCharsets.UTF_8));
            } else {
              done.complete(null);
            }
          } catch (Throwable e) {
            done.completeExceptionally(e);
          }
          if (done.isDone()) {
            throw new IllegalStateException("feeding over"); // stops the schedule
          }
        },
        0,
        SEND_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    return done;
  }

  /** A condition the feeder checks. */
  @FunctionalInterface
  interface Check {
    boolean check() throws Exception;
  }

  private Map<String, Long> lakeRows(String enrichedTopic) throws IOException {
    List<GenericRecord> rows =
        new DatasetReader(new LocalLakeStorage(dir.resolve("lake")))
            .readAll(DatasetSpec.datasetName(enrichedTopic), 0, Long.MAX_VALUE);
    return countBy(rows, KillLoopIT::row);
  }

  /** An enriched event (specific or as read from Parquet) as the fields that identify it. */
  private static String row(Object event) {
    if (event instanceof AccessLogEvent e) {
      return String.join(
          "|",
          String.valueOf(e.getSource()),
          e.getClient(),
          Long.toString(e.getEventTime().toEpochMilli()),
          String.valueOf(e.getRequest()),
          Integer.toString(e.getStatus()),
          Integer.toString(e.getLineBytes()),
          String.valueOf(e.getCountry()));
    }
    GenericRecord r = (GenericRecord) event;
    Object time = r.get("event_time");
    long millis = time instanceof Instant i ? i.toEpochMilli() : ((Number) time).longValue();
    return String.join(
        "|",
        String.valueOf(r.get("source")),
        String.valueOf(r.get("client")),
        Long.toString(millis),
        String.valueOf(r.get("request")),
        String.valueOf(r.get("status")),
        String.valueOf(r.get("line_bytes")),
        String.valueOf(r.get("country")));
  }

  private static String line(RawLogLine raw) {
    java.nio.ByteBuffer b = raw.getLine().duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return raw.getSource() + " " + new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static void report(String service, List<Duration> recoveries) {
    List<Long> millis = recoveries.stream().map(Duration::toMillis).sorted().toList();
    if (millis.isEmpty()) {
      System.out.println(service + " recovery: none measured");
      return;
    }
    System.out.printf(
        "%s recovery (kill to ready), %d measured: median %.1f s, max %.1f s, all %s ms%n",
        service,
        millis.size(),
        millis.get(millis.size() / 2) / 1000.0,
        millis.get(millis.size() - 1) / 1000.0,
        millis);
  }

  private static void createInputTopics(TopicTool kafkaTopics, String prefix) throws Exception {
    StreamConfig.Topics t = StreamConfig.Topics.DEFAULT.prefixed(prefix);
    kafkaTopics.create(t.raw(), 3, Map.of());
    kafkaTopics.create(t.orders(), 3, Map.of());
    kafkaTopics.create(t.enriched(), 3, Map.of("retention.ms", "-1"));
    kafkaTopics.create(t.attributed(), 3, Map.of("retention.ms", "-1"));
  }

  private static void loadGeoIp(String bootstrap, String registryUrl, String topic)
      throws IOException {
    try (AvroSerde<GeoIpRange> serde =
        AvroSerde.specific(Map.of("schema.registry.url", registryUrl), false)) {
      Path samples = ROOT.resolve("samples/geoip");
      new GeoIpLoader(bootstrap, topic, serde.serializer())
          .load(
              List.of(
                  samples.resolve("geo-whois-asn-country-ipv4.csv.gz"),
                  samples.resolve("geo-whois-asn-country-ipv6.csv.gz")));
    }
  }

  private RestartableService stream(
      String bootstrap, String registryUrl, String prefix, String applicationId) {
    return new RestartableService(
        "stream",
        "stream: RUNNING",
        Map.of("OXBOW_LOG_LEVEL", "INFO"),
        "stream",
        "--bootstrap-servers",
        bootstrap,
        "--schema-registry-url",
        registryUrl,
        "--application-id",
        applicationId,
        "--state-dir",
        dir.resolve("stream-state").toString(),
        "--topic-prefix",
        prefix,
        "--grace",
        GRACE,
        "--http-port",
        "0");
  }

  private RestartableService batch(String bootstrap, String registryUrl, String prefix)
      throws IOException {
    Path config = dir.resolve("batch.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "batch.datasets="
                + prefix
                + "access-logs.enriched:event_time:access-logs.enriched,"
                + prefix
                + "orders.attributed:event_time:orders.attributed,"
                + prefix
                + "access-logs.raw:received_time:access-logs.raw",
            "batch.group-id=kl-batch-" + id,
            "batch.dlq-topic=" + prefix + "access-logs.dlq",
            "batch.rotate-interval=2s",
            ""));
    return new RestartableService(
        "batch",
        "batch: ",
        Map.of(),
        "batch",
        "--bootstrap-servers",
        bootstrap,
        "--schema-registry-url",
        registryUrl,
        "--lake-dir",
        dir.resolve("lake").toString(),
        "--http-port",
        "0",
        "--config",
        config.toString());
  }

  private RestartableService ingest(String bootstrap, String registryUrl, String prefix)
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // fixed across restarts: clients keep one address
    }
    return new RestartableService(
        "ingest",
        "ingest: ",
        Map.of(),
        "ingest",
        "--bootstrap-servers",
        bootstrap,
        "--schema-registry-url",
        registryUrl,
        "--port",
        Integer.toString(port),
        "--set",
        "ingest.logs-topic=" + prefix + "access-logs.raw",
        "--set",
        "ingest.orders-topic=" + prefix + "orders",
        "--set",
        "ingest.idempotency-topic=" + prefix + "ingest.idempotency",
        "--set",
        "ingest.transactional-id-prefix=" + prefix + "ingest");
  }
}
