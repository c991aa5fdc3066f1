package io.oxbow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo replay against a stand-in ingest endpoint that, like the real one, writes a request once
 * per Idempotency-Key, and that can answer 503 or fail.
 */
class ReplayerIT {
  private static final Path SAMPLE =
      Path.of(System.getProperty("oxbow.root", "../.."))
          .resolve("samples/access-logs/crowdsec_apache2_malformed_requests.log");

  private HttpServer server;
  private final Map<String, String> written = new LinkedHashMap<>();
  private final List<String> orders = new ArrayList<>();
  private final AtomicInteger unavailableLeft = new AtomicInteger();
  private final AtomicInteger failAfter = new AtomicInteger(Integer.MAX_VALUE);

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/logs", this::logs);
    server.createContext("/v1/events/orders", this::orders);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void replaysEveryLineOnceWithEventTimesMovedToNowThroughRetries(@TempDir Path dir)
      throws Exception {
    unavailableLeft.set(2);
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    Replayer replayer = replayer(List.of(SAMPLE), dir, now);
    List<Integer> progress = new ArrayList<>();

    int sent = replayer.run(0, false, 0.35, (s, total, t) -> progress.add(s));

    List<String> original = Files.readAllLines(SAMPLE, StandardCharsets.ISO_8859_1);
    assertThat(sent).isEqualTo(original.size());
    List<String> lines = allWrittenLines();
    assertThat(lines).hasSize(original.size());
    assertThat(lines.get(lines.size() - 1))
        .contains("[25/Nov/2026:23:00:00 +1100]"); // 12:00Z in the line's own offset
    assertThat(progress).last().isEqualTo(original.size());
  }

  @Test
  void aStoppedReplayResumesFromItsCheckpointWithoutWritingAnythingTwice(@TempDir Path dir)
      throws Exception {
    Path second = dir.resolve("second.log");
    Files.write(second, Files.readAllBytes(SAMPLE));
    List<Path> files = List.of(SAMPLE, second);
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    failAfter.set(1);

    assertThatThrownBy(() -> replayer(files, dir, now).run(0, false, 0, (s, t, e) -> {}))
        .hasMessageContaining("answered 400");
    int before = allWrittenLines().size();
    assertThat(before).isPositive();

    failAfter.set(Integer.MAX_VALUE);
    replayer(files, dir, now.plusSeconds(3600)).run(0, false, 0, (s, t, e) -> {});

    int total = 2 * Files.readAllLines(SAMPLE, StandardCharsets.ISO_8859_1).size();
    assertThat(allWrittenLines()).hasSize(total);
    // the resumed run kept the first run's plan: the same event times
    assertThat(allWrittenLines()).allSatisfy(l -> assertThat(l).doesNotContain("00:00:00 +1100"));
  }

  @Test
  void filesFromDifferentYearsAreAlignedToEndTogether(@TempDir Path dir) throws Exception {
    Path old = dir.resolve("old.log");
    Files.writeString(
        old,
        "192.0.2.1 - - [17/May/2015:10:05:03 +0000] \"GET /a HTTP/1.1\" 200 1 \"-\" \"-\"\n"
            + "192.0.2.1 - - [17/May/2015:10:06:03 +0000] \"GET /b HTTP/1.1\" 200 1 \"-\" \"-\"\n");
    Instant now = Instant.parse("2026-11-25T12:00:00Z");

    replayer(List.of(old, SAMPLE), dir, now).run(0, false, 0, (s, t, e) -> {});

    List<String> lines = allWrittenLines();
    assertThat(lines)
        .filteredOn(l -> l.contains("GET /b"))
        .singleElement()
        .asString()
        .contains("[25/Nov/2026:12:00:00 +0000]");
    assertThat(lines)
        .filteredOn(l -> l.contains("GET /a"))
        .singleElement()
        .asString()
        .contains("[25/Nov/2026:11:59:00 +0000]");
    assertThat(lines)
        .filteredOn(l -> l.startsWith("1.2.3.4"))
        .last()
        .asString()
        .contains("[25/Nov/2026:23:00:00 +1100]");
  }

  private Replayer replayer(List<Path> files, Path dir, Instant now) throws IOException {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return Replayer.of(
        files, base, "key", dir.resolve("replay.json"), Clock.fixed(now, ZoneOffset.UTC));
  }

  private List<String> allWrittenLines() {
    List<String> lines = new ArrayList<>();
    synchronized (written) {
      written.values().forEach(body -> lines.addAll(List.of(body.split("\n"))));
    }
    return lines;
  }

  private void logs(HttpExchange exchange) throws IOException {
    if (unavailableLeft.getAndDecrement() > 0) {
      exchange.getResponseHeaders().add("Retry-After", "0");
      respond(exchange, 503, "{\"error\":\"busy\"}");
      return;
    }
    if (failAfter.getAndDecrement() <= 0) {
      respond(exchange, 400, "{\"error\":\"test failure\"}");
      return;
    }
    assertThat(exchange.getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer key");
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
    synchronized (written) {
      written.putIfAbsent(key, body);
    }
    respond(exchange, 200, "{\"accepted\":1}");
  }

  private void orders(HttpExchange exchange) throws IOException {
    orders.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    respond(exchange, 200, "{\"accepted\":1}");
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
