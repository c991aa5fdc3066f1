package io.oxbow.bench.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The hostile half of the soak's traffic: a seeded mix of the requests that used to cost a service
 * the most (queries over absurd ranges, a {@code client_ip} of thousands of colons, huge decimal
 * exponents, thousands of invalid NDJSON lines, nested JSON, a gzip bomb, oversized headers, random
 * bytes, registry schemas of megabytes) plus slow uploads, each sent over a plain socket. Only the
 * status is kept: the soak counts 5xx answers and answers slower than 1 s.
 */
final class HostileRequests {
  private final Random random;
  private final URI ingest;
  private final URI api;
  private final URI registry;
  private final String auth;
  private final byte[] gzipBomb;

  HostileRequests(long seed, URI ingest, URI api, URI registry, String apiKey) {
    this.random = new Random(seed);
    this.ingest = ingest;
    this.api = api;
    this.registry = registry;
    this.auth = "Bearer " + apiKey;
    this.gzipBomb = gzipZeros(64 << 20);
  }

  /** Sends one hostile request; returns its status, or -1 when the connection failed. */
  int sendOne() {
    int kind = random.nextInt(10);
    String body;
    return switch (kind) {
      case 0 ->
          get(
              api,
              "/api/v1/views/traffic/query?from=-200000000-01-01T00:00:00Z"
                  + "&to=%2B"
                  + (200_000_000 + random.nextInt(100_000_000))
                  + "-01-01T00:00:00Z"
                  + "&granularity=hour");
      case 1 ->
          post(
              ingest,
              "/v1/events/orders",
              "application/json",
              order("client_ip", "\"" + ":".repeat(1000 + random.nextInt(40_000)) + "x\""));
      case 2 ->
          post(
              ingest,
              "/v1/events/orders",
              "application/json",
              order("amount", "\"1e" + (1_000_000 + random.nextInt(999_000_000)) + "\""));
      case 3 -> post(ingest, "/v1/logs", "application/x-ndjson", utf8("{}\n".repeat(50_000)));
      case 4 ->
          post(
              ingest,
              "/v1/events/orders",
              "application/json",
              utf8("[".repeat(50_000) + "]".repeat(50_000)));
      case 5 ->
          send(
              ingest,
              request(
                  "POST",
                  "/v1/logs",
                  "Content-Type: text/plain\r\nContent-Encoding: gzip\r\n",
                  gzipBomb));
      case 6 ->
          send(api, request("GET", "/api/v1/views", "X-Big: " + "x".repeat(20_000) + "\r\n", null));
      case 7 -> post(ingest, "/v1/events/orders", "application/json", randomBytes(8192));
      case 8 -> {
        body = "{\"schema\":\"" + "x".repeat(1 << 20) + "\"}";
        yield post(registry, "/subjects/soak-value/versions", "application/json", utf8(body));
      }
      default ->
          get(
              api,
              "/api/v1/views/traffic/query?from=2026-01-01T00:00:00Z"
                  + "&to=2026-01-02T00:00:00Z&limit="
                  + List.of("0", "-1", "99999999999", "%00").get(random.nextInt(4))
                  + "&groupBy="
                  + "a,".repeat(random.nextInt(3000)));
    };
  }

  /**
   * Sends a 1 MiB log upload at 5 KiB/s (below the minimum upload rate); returns the status it was
   * cut off with, or -1.
   */
  int sendSlowly() {
    byte[] body = new byte[1 << 20];
    java.util.Arrays.fill(body, (byte) 'x');
    byte[] head = request("POST", "/v1/logs", "Content-Type: text/plain\r\n", body);
    int headLength = head.length - body.length;
    try (Socket socket = connect(ingest)) {
      OutputStream out = socket.getOutputStream();
      out.write(head, 0, headLength);
      Thread reader = null;
      int[] status = {-1};
      reader = new Thread(() -> status[0] = status(socket), "soak-slow-reader");
      reader.setDaemon(true);
      reader.start();
      for (int at = headLength; at < head.length && reader.isAlive(); at += 512) {
        out.write(head, at, Math.min(512, head.length - at));
        out.flush();
        Thread.sleep(100);
      }
      reader.join(30_000);
      return status[0];
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private int get(URI base, String target) {
    return send(base, request("GET", target, "", null));
  }

  private int post(URI base, String target, String type, byte[] body) {
    return send(base, request("POST", target, "Content-Type: " + type + "\r\n", body));
  }

  private int send(URI base, byte[] request) {
    try (Socket socket = connect(base)) {
      Thread writer =
          new Thread(
              () -> {
                try {
                  socket.getOutputStream().write(request);
                } catch (IOException answeredEarly) {
                  // the server answered before reading everything
                }
              },
              "soak-hostile-writer");
      writer.setDaemon(true);
      writer.start();
      return status(socket);
    } catch (IOException e) {
      return -1;
    }
  }

  private static Socket connect(URI base) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
    socket.setSoTimeout(30_000);
    return socket;
  }

  /** Reads the status line and drains the answer. */
  private static int status(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
        line.write(b);
      }
      String text = line.toString(StandardCharsets.ISO_8859_1);
      int status = text.startsWith("HTTP/1.") ? Integer.parseInt(text.substring(9, 12)) : -1;
      in.transferTo(OutputStream.nullOutputStream());
      return status;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private byte[] request(String method, String target, String headers, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: "
            + auth
            + "\r\n"
            + headers
            + (body == null ? "" : "Content-Length: " + body.length + "\r\n")
            + "\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private static byte[] order(String field, String value) {
    String order =
        "{\"order_id\":\"o\",\"customer_id\":\"c\",\"client_ip\":\"192.0.2.1\",\"amount\":\"1\","
            + "\"currency\":\"EUR\",\"event_time\":\"2026-11-25T10:00:00Z\"}";
    return utf8(order.replaceFirst("\"" + field + "\":\"[^\"]*\"", "\"" + field + "\":" + value));
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzipZeros(int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < size; i += zeros.length) {
        gz.write(zeros);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
