package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.runtime.config.ConfigSource;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A flood of large concurrent requests: memory stays under the in-flight cap, the excess gets 503
 * with Retry-After at once, and every request answered 200 is in Kafka in full (one answered 504,
 * outcome unknown, is in Kafka in full or not at all).
 */
@ExtendWith(KafkaBackendExtension.class)
class IngestFloodIT {
  private static final int REQUESTS = 16;
  private static final int LINES = 10_000;

  @Test
  void shouldStayWithinTheInflightCapUnderAFloodOfLargeRequests(KafkaBackend kafka)
      throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    // each 2 MB request reserves about 5 MB (twice the body, plus what its 10,000 lines hold as
    // records): room for a few at once, so most of the 16 get 503, and a few always get through
    long cap = 24L * 1024 * 1024;
    IngestConfig config =
        IngestConfig.from(
            ConfigSource.ofFlags(
                Map.of(
                    IngestConfig.BOOTSTRAP_SERVERS.key(),
                    kafka.bootstrapServers(),
                    IngestConfig.PORT.key(),
                    "0",
                    IngestConfig.HOST.key(),
                    "127.0.0.1",
                    IngestConfig.LOGS_TOPIC.key(),
                    "flood-" + id,
                    IngestConfig.IDEMPOTENCY_TOPIC.key(),
                    "flood-idem-" + id,
                    IngestConfig.TRANSACTIONAL_ID_PREFIX.key(),
                    "flood-" + id,
                    IngestConfig.MAX_BODY_BYTES.key(),
                    "4MiB",
                    IngestConfig.MAX_INFLIGHT_BYTES.key(),
                    String.valueOf(cap))));
    String line = "x".repeat(199) + "\n";
    byte[] body = line.repeat(LINES).getBytes(StandardCharsets.UTF_8);
    List<String> acceptedSources = new ArrayList<>();
    List<String> unknownSources = new ArrayList<>();
    int overloaded = 0;
    try (IngestApp app =
        IngestApp.builder(config)
            .logSerializer(AvroBytes.<RawLogLine>serializer())
            .orderSerializer(AvroBytes.<Order>serializer())
            .build()
            .start()) {
      IngestClient client = new IngestClient(app.baseUrl());
      ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
      List<Future<IngestClient.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        String source = id + "-" + i;
        replies.add(
            pool.submit(
                () -> client.post("/v1/logs", "text/plain", body, "X-Oxbow-Source", source)));
      }
      for (int i = 0; i < REQUESTS; i++) {
        IngestClient.Reply reply;
        try {
          reply = replies.get(i).get();
        } catch (ExecutionException e) {
          // no answer at all (the connection closed under the flood, e.g. a pooled connection the
          // server had just closed): the client cannot know the outcome, exactly like a 504
          assertThat(e.getCause()).isInstanceOf(UncheckedIOException.class);
          unknownSources.add(id + "-" + i);
          continue;
        }
        if (reply.status() == 200) {
          assertThat(reply.json().path("accepted").asInt()).isEqualTo(LINES);
          acceptedSources.add(id + "-" + i);
        } else if (reply.status() == 504) {
          // the commit was sent but not confirmed in time (a loaded machine): either outcome
          assertThat(reply.header("Retry-After")).isNotNull();
          unknownSources.add(id + "-" + i);
        } else {
          assertThat(reply.status()).isEqualTo(503);
          assertThat(reply.header("Retry-After")).isNotNull();
          overloaded++;
        }
      }
      pool.shutdown();
      assertThat(app.peakInflightBytes()).isLessThanOrEqualTo(cap);
    }
    assertThat(acceptedSources).isNotEmpty();
    assertThat(overloaded).isPositive();
    await()
        .untilAsserted(
            () -> {
              Map<String, Long> linesPerSource =
                  TopicReader.readAll(kafka.bootstrapServers(), "flood-" + id).stream()
                      .collect(
                          Collectors.groupingBy(
                              r -> new String(r.key(), StandardCharsets.UTF_8),
                              Collectors.counting()));
              assertThat(linesPerSource.keySet()).containsAll(acceptedSources);
              assertThat(acceptedSources.size() + unknownSources.size())
                  .isGreaterThanOrEqualTo(linesPerSource.size());
              assertThat(linesPerSource.keySet())
                  .allMatch(s -> acceptedSources.contains(s) || unknownSources.contains(s));
              assertThat(linesPerSource.values()).allMatch(n -> n == LINES);
            });
  }
}
