package io.oxbow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundled sample as a client sends it: the three access logs in requests of {@link
 * #LINES_PER_REQUEST} lines (source: the file name), then orders derived from the elastic log's
 * page views (every 40th successful GET from an address: an order by that client a minute later),
 * {@link #ORDERS_PER_REQUEST} per request.
 */
final class KillLoopInput {
  static final int LINES_PER_REQUEST = 100;
  static final int ORDERS_PER_REQUEST = 25;
  private static final Path LOGS =
      Path.of(System.getProperty("oxbow.root", "..")).resolve("samples/access-logs");
  private static final List<String> FILES =
      List.of(
          "elastic_apache_logs.log",
          "crowdsec_apache2_malformed_requests.log",
          "crowdsec_nginx_malformed_requests.log");

  /** One request: its idempotency key, source (logs only) and body. */
  record Request(String key, String source, byte[] body, boolean orders) {}

  private final List<Request> logRequests = new ArrayList<>();
  private final List<Request> orderRequests = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();
  private final List<String> orderIds = new ArrayList<>();

  private KillLoopInput() {}

  static KillLoopInput sample() {
    KillLoopInput input = new KillLoopInput();
    List<Map<String, Object>> orders = new ArrayList<>();
    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.AUTO);
    for (String file : FILES) {
      List<byte[]> fileLines = lines(LOGS.resolve(file));
      for (int from = 0; from < fileLines.size(); from += LINES_PER_REQUEST) {
        List<byte[]> chunk =
            fileLines.subList(from, Math.min(fileLines.size(), from + LINES_PER_REQUEST));
        input.logRequests.add(new Request(file + "-" + from, file, join(chunk), false));
        chunk.forEach(
            l -> input.lines.add(file + " " + new String(l, StandardCharsets.ISO_8859_1)));
      }
      if (file.startsWith("elastic")) {
        int views = 0;
        for (byte[] line : fileLines) {
          if (parser.parse(line, file) instanceof ParseResult.Parsed p
              && isOrderable(p.event())
              && views++ % 40 == 0) {
            orders.add(order(orders.size(), p.event()));
          }
        }
      }
    }
    for (int from = 0; from < orders.size(); from += ORDERS_PER_REQUEST) {
      List<Map<String, Object>> chunk =
          orders.subList(from, Math.min(orders.size(), from + ORDERS_PER_REQUEST));
      try {
        input.orderRequests.add(
            new Request("orders-" + from, null, new ObjectMapper().writeValueAsBytes(chunk), true));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    orders.forEach(o -> input.orderIds.add((String) o.get("order_id")));
    return input;
  }

  /** Log requests, in sending order. */
  List<Request> logRequests() {
    return logRequests;
  }

  /** Order requests, in sending order. */
  List<Request> orderRequests() {
    return orderRequests;
  }

  /** Every non-empty line sent, as {@code "<source> <line>"} (bytes as ISO-8859-1). */
  List<String> lines() {
    return lines;
  }

  /** Every order id sent. */
  List<String> orderIds() {
    return orderIds;
  }

  private static boolean isOrderable(AccessLogEvent e) {
    return e.getClientKind() != ClientKind.HOSTNAME
        && "GET".equals(e.getMethod())
        && e.getStatus() == 200;
  }

  private static Map<String, Object> order(int n, AccessLogEvent view) {
    Map<String, Object> order = new LinkedHashMap<>();
    order.put("order_id", "o-" + n);
    order.put("customer_id", "c-" + n);
    order.put("client_ip", view.getClient());
    order.put("amount", (n % 7 + 1) + ".25");
    order.put("currency", "EUR");
    order.put("event_time", view.getEventTime().plusSeconds(60).toString());
    return order;
  }

  private static List<byte[]> lines(Path file) {
    try {
      byte[] all = Files.readAllBytes(file);
      List<byte[]> out = new ArrayList<>();
      int start = 0;
      for (int i = 0; i <= all.length; i++) {
        if (i == all.length || all[i] == '\n') {
          int end = i > start && all[i - 1] == '\r' ? i - 1 : i;
          if (end > start) {
            out.add(Arrays.copyOfRange(all, start, end));
          }
          start = i + 1;
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] join(List<byte[]> chunk) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] line : chunk) {
      body.writeBytes(line);
      body.write('\n');
    }
    return body.toByteArray();
  }
}
