package io.oxbow.cli;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A seeded, property-style corpus of hostile HTTP requests for every endpoint of the ingest app,
 * the serving API and the schema registry: random bytes, overlong and deeply nested JSON, huge and
 * tiny numbers, extreme and malformed times, control characters and invalid UTF-8, every query
 * parameter at and past its limit, oversized and malformed request lines and headers. The same seed
 * gives the same corpus, so a failure can be replayed.
 */
final class HostileCorpus {
  /** The service a case is sent to. */
  enum Service {
    INGEST,
    SERVING,
    REGISTRY
  }

  /** What a case must get: a 4xx JSON error, or any answer but a 5xx (valid or at a limit). */
  enum Expect {
    REJECT,
    ANSWER
  }

  /** One request. */
  record Case(
      Service service,
      String name,
      String method,
      byte[] target,
      Map<String, String> headers,
      byte[] body,
      Expect expect) {
    byte[] bytes() {
      return RawHttp.request(method, target, headers, body);
    }
  }

  static final List<String> BAD_NUMBERS =
      List.of(
          "1e8000000",
          "1e999999999",
          "-1e999999999",
          "1e-999999999",
          "1E+2147483648",
          "9".repeat(100_000),
          "0." + "0".repeat(100_000) + "1",
          "-1",
          "NaN",
          "Infinity",
          "-Infinity",
          "0x1F",
          "1.0e",
          "--1",
          "1.00001",
          "123456789012345.0",
          "4.9e-324",
          "1.7976931348623157e308");

  static final List<String> BAD_TIMES =
      List.of(
          "2026-13-45T25:61:61Z",
          "2026-11-25T10:00:00",
          "2026-11-25T10:00:00+25:00",
          "noon",
          "",
          "2026-11-25T10:00:00Z\u0000",
          "9".repeat(10_000),
          "1e308",
          "-",
          "+",
          "2026-11-25T10:00:00.0000000000000000000000001Z",
          "\u202e2026-11-25T10:00:00Z");

  /** Valid ISO-8601 instants at the ends of what {@link java.time.Instant} holds. */
  static final List<String> EXTREME_TIMES =
      List.of(
          "-200000000-01-01T00:00:00Z",
          "+200000000-01-01T00:00:00Z",
          "+300000000-01-01T00:00:00Z",
          "+1000000000-12-31T23:59:59.999999999Z",
          "-1000000000-01-01T00:00:00Z",
          "1970-01-01T00:00:00Z",
          "0000-01-01T00:00:00Z");

  private final Random random;
  private final String ingestAuth;
  private final List<Case> cases = new ArrayList<>();

  private HostileCorpus(long seed, String ingestAuth) {
    this.random = new Random(seed);
    this.ingestAuth = ingestAuth;
  }

  /** The fixed cases plus {@code generated} random ones per service, from {@code seed}. */
  static List<Case> generate(long seed, String ingestAuth, int generated) {
    HostileCorpus corpus = new HostileCorpus(seed, ingestAuth);
    for (Service service : Service.values()) {
      corpus.protocol(service);
    }
    corpus.ingestFixed();
    corpus.servingFixed();
    corpus.registryFixed();
    for (int i = 0; i < generated; i++) {
      corpus.randomOrder(i);
      corpus.randomLogs(i);
      corpus.randomQuery(i);
      corpus.randomRegistry(i);
    }
    return corpus.cases;
  }

  // ---- every service: request line, headers, framing

  private void protocol(Service s) {
    String p = s == Service.SERVING ? "/api/v1/views" : s == Service.INGEST ? "/v1/logs" : "/";
    add(s, "header of 20 KiB", "GET", p, Map.of("X-Big", "x".repeat(20 * 1024)), null);
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 1000; i++) {
      many.put("X-H" + i, "v".repeat(20));
    }
    add(s, "1000 headers", "GET", p, many, null);
    add(s, "path of 8000 characters", "GET", "/" + "a".repeat(8000), Map.of(), null);
    add(s, "path with %00", "GET", p + "%00", Map.of(), null);
    add(s, "path with invalid UTF-8", "GET", p + "%FF%FE%C0%AF", Map.of(), null);
    cases.add(
        new Case(
            s,
            "control character in the target",
            "GET",
            (p + "\u0001x").getBytes(StandardCharsets.ISO_8859_1),
            Map.of(),
            null,
            Expect.REJECT));
    add(s, "unknown method", "BREW", p, Map.of(), null);
    add(s, "negative Content-Length", "POST", p, Map.of("Content-Length", "-5"), new byte[0]);
    add(
        s,
        "Content-Length past long",
        "POST",
        p,
        Map.of("Content-Length", "99999999999999999999"),
        new byte[0]);
    add(
        s,
        "broken chunked framing",
        "POST",
        p,
        Map.of("Transfer-Encoding", "chunked"),
        "zz\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    add(
        s,
        "Content-Length and chunked",
        "POST",
        p,
        Map.of("Transfer-Encoding", "chunked", "Content-Length", "5"),
        "5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  // ---- ingest

  private Map<String, String> ingest(String contentType, Map<String, String> extra) {
    Map<String, String> h = new LinkedHashMap<>();
    if (ingestAuth != null) {
      h.put("Authorization", ingestAuth);
    }
    if (contentType != null) {
      h.put("Content-Type", contentType);
    }
    h.putAll(extra);
    return h;
  }

  private void ingestFixed() {
    ordersFixed();
    logsFixed();
    if (ingestAuth != null) {
      authFixed();
    }
  }

  private void ordersFixed() {
    Service s = Service.INGEST;
    add(
        s,
        "orders: random bytes",
        "POST",
        "/v1/events/orders",
        ingest("application/json", Map.of()),
        bytes(4096));
    add(
        s,
        "orders: 100000 nested arrays",
        "POST",
        "/v1/events/orders",
        ingest("application/json", Map.of()),
        nested(100_000));
    add(
        s,
        "orders: top-level huge exponent",
        "POST",
        "/v1/events/orders",
        ingest("application/json", Map.of()),
        utf8("1e999999999"));
    add(
        s,
        "orders: invalid UTF-8 in a string",
        "POST",
        "/v1/events/orders",
        ingest("application/json", Map.of()),
        invalidUtf8Order());
    add(
        s,
        "orders: wrong content type",
        "POST",
        "/v1/events/orders",
        ingest("text/xml", Map.of()),
        utf8("<order/>"));
    add(
        s,
        "orders: unknown field with a 100 KB name",
        "POST",
        "/v1/events/orders",
        ingest("application/json", Map.of()),
        utf8(order(Map.of("x".repeat(100_000), "1"))));
    answer(
        s,
        "orders: 20000 valid orders in one request",
        "POST",
        "/v1/events/orders",
        ingest("application/json", Map.of()),
        utf8("[" + String.join(",", java.util.Collections.nCopies(20_000, order(Map.of()))) + "]"));
  }

  private void logsFixed() {
    Service s = Service.INGEST;
    add(
        s,
        "logs: NDJSON of 200000 {} lines",
        "POST",
        "/v1/logs",
        ingest("application/x-ndjson", Map.of()),
        utf8("{}\n".repeat(200_000)));
    add(
        s,
        "logs: NDJSON deep nesting",
        "POST",
        "/v1/logs",
        ingest("application/x-ndjson", Map.of()),
        nested(50_000));
    add(
        s,
        "logs: NDJSON line is a huge number",
        "POST",
        "/v1/logs",
        ingest("application/x-ndjson", Map.of()),
        utf8("{\"line\":1e999999999}\n"));
    add(
        s,
        "logs: NDJSON source of 100 KB",
        "POST",
        "/v1/logs",
        ingest("application/x-ndjson", Map.of()),
        utf8("{\"line\":\"GET /\",\"source\":\"" + "s".repeat(100_000) + "\"}\n"));
    add(
        s,
        "logs: X-Oxbow-Source of 12 KB",
        "POST",
        "/v1/logs",
        ingest("text/plain", Map.of("X-Oxbow-Source", "s".repeat(12 * 1024))),
        utf8("GET / HTTP/1.1\n"));
    add(
        s,
        "logs: wrong content type",
        "POST",
        "/v1/logs",
        ingest("image/png", Map.of()),
        bytes(1024));
    add(
        s,
        "logs: broken gzip",
        "POST",
        "/v1/logs",
        ingest("text/plain", Map.of("Content-Encoding", "gzip")),
        bytes(2048));
    add(
        s,
        "logs: gzip bomb of 64 MiB",
        "POST",
        "/v1/logs",
        ingest("text/plain", Map.of("Content-Encoding", "gzip")),
        gzipZeros(64 << 20));
    add(
        s,
        "logs: unknown Content-Encoding",
        "POST",
        "/v1/logs",
        ingest("text/plain", Map.of("Content-Encoding", "br")),
        bytes(64));
    add(
        s,
        "logs: Idempotency-Key of 8 KB",
        "POST",
        "/v1/logs",
        ingest("text/plain", Map.of("Idempotency-Key", "k".repeat(8 * 1024))),
        utf8("GET /\n"));
    add(
        s,
        "logs: Idempotency-Key with control characters",
        "POST",
        "/v1/logs",
        ingest("text/plain", Map.of("Idempotency-Key", "a\u0001b\u007f")),
        utf8("GET /\n"));
    answer(
        s,
        "logs: random bytes as text lines",
        "POST",
        "/v1/logs",
        ingest("text/plain", Map.of()),
        bytes(64 * 1024));
    answer(
        s,
        "logs: 512 Ki one-byte lines",
        "POST",
        "/v1/logs",
        ingest("text/plain", Map.of()),
        utf8("x\n".repeat(512 * 1024)));
  }

  private void authFixed() {
    Service s = Service.INGEST;
    add(
        s,
        "logs: no API key, 4 MiB body",
        "POST",
        "/v1/logs",
        Map.of("Content-Type", "text/plain"),
        new byte[4 << 20]);
    add(
        s,
        "logs: unknown API key",
        "POST",
        "/v1/logs",
        Map.of("Content-Type", "text/plain", "Authorization", "Bearer oxb_" + "A".repeat(43)),
        utf8("GET /\n"));
    add(
        s,
        "logs: Authorization of 12 KB",
        "POST",
        "/v1/logs",
        Map.of("Content-Type", "text/plain", "Authorization", "Bearer " + "A".repeat(12 * 1024)),
        utf8("GET /\n"));
  }

  private void randomOrder(int i) {
    String field =
        pick(
            List.of(
                "order_id",
                "customer_id",
                "client_ip",
                "amount",
                "currency",
                "event_time",
                "items"));
    String value =
        switch (field) {
          case "order_id", "customer_id" ->
              pick(
                  List.of(
                      "\"\"",
                      "5",
                      "null",
                      "{\"$\":1}",
                      new String(nested(2000), StandardCharsets.UTF_8)));
          case "client_ip" ->
              pick(
                  List.of(
                      json(":".repeat(1000 + random.nextInt(49_000)) + "x"),
                      json("999.999.999.999"),
                      json("1.2.3.4\u0000"),
                      json("9".repeat(10_000)),
                      json("localhost"),
                      json("[::1]"),
                      json(randomText(200))));
          case "amount" -> random.nextBoolean() ? pick(BAD_NUMBERS) : json(pick(BAD_NUMBERS));
          case "currency" ->
              json(pick(List.of("eur", "XXXX", "", "\u20ac", "E\u0000R", "E".repeat(10_000))));
          case "event_time" -> json(pick(BAD_TIMES));
          default ->
              pick(
                  List.of(
                      new String(nested(5000), StandardCharsets.UTF_8),
                      "[{\"sku\":\"a\",\"quantity\":" + pick(BAD_NUMBERS) + ",\"price\":\"1.00\"}]",
                      "[{\"sku\":\"a\",\"quantity\":1,\"price\":" + json(pick(BAD_NUMBERS)) + "}]",
                      "[{\"sku\":"
                          + json("s".repeat(200_000))
                          + ",\"quantity\":1,\"price\":\"1\"}]",
                      "\"not a list\""));
        };
    add(
        Service.INGEST,
        "orders #" + i + ": " + field + " = " + abbreviate(value),
        "POST",
        "/v1/events/orders",
        ingest("application/json", Map.of()),
        utf8(order(Map.of(field, value))));
  }

  private void randomLogs(int i) {
    byte[] junk = bytes(1 + random.nextInt(8192));
    junk[0] = 'x'; // never a JSON object, so never a valid NDJSON line
    add(
        Service.INGEST,
        "logs #" + i + ": NDJSON of random bytes",
        "POST",
        "/v1/logs",
        ingest("application/x-ndjson", Map.of()),
        junk);
    String line =
        pick(
            List.of(
                "1e999999999",
                "[]",
                "null",
                "{\"line\":" + pick(BAD_NUMBERS) + "}",
                "{\"line\":\"a\",\"line\":{}}",
                "{\"source\":{}}"));
    add(
        Service.INGEST,
        "logs #" + i + ": NDJSON line " + abbreviate(line),
        "POST",
        "/v1/logs",
        ingest("application/x-ndjson", Map.of()),
        utf8("{\"line\":\"GET /\"}\n" + line + "\n"));
  }

  /** An order with valid fields except those in {@code override} (raw JSON values). */
  static String order(Map<String, String> override) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("order_id", "\"o-1\"");
    fields.put("customer_id", "\"c-1\"");
    fields.put("client_ip", "\"192.0.2.1\"");
    fields.put("amount", "\"12.50\"");
    fields.put("currency", "\"EUR\"");
    fields.put("event_time", "\"2026-11-25T10:00:00Z\"");
    fields.putAll(override);
    StringBuilder sb = new StringBuilder("{");
    fields.forEach(
        (k, v) -> sb.append(sb.length() > 1 ? "," : "").append(json(k)).append(':').append(v));
    return sb.append('}').toString();
  }

  // ---- serving API

  private void servingFixed() {
    Service s = Service.SERVING;
    String q = "/api/v1/views/traffic/query?";
    add(
        s,
        "reproduction: span overflows",
        "GET",
        q + "from=-200000000-01-01T00:00:00Z&to=%2B200000000-01-01T00:00:00Z&granularity=hour",
        Map.of(),
        null);
    add(
        s,
        "reproduction: to past the overflow",
        "GET",
        q + "from=-200000000-01-01T00:00:00Z&to=%2B300000000-01-01T00:00:00Z&granularity=hour",
        Map.of(),
        null);
    add(
        s,
        "range of 100001 minutes",
        "GET",
        q
            + "from=2026-01-01T00:00:00Z&to="
            + enc(
                java.time.Instant.parse("2026-01-01T00:00:00Z")
                    .plusSeconds(60L * 100_001)
                    .toString())
            + "&granularity=minute",
        Map.of(),
        null);
    answer(
        s,
        "range of 100000 minutes (at the limit)",
        "GET",
        q
            + "from=2026-01-01T00:00:00Z&to="
            + enc(
                java.time.Instant.parse("2026-01-01T00:00:00Z")
                    .plusSeconds(60L * 100_000)
                    .toString())
            + "&granularity=minute",
        Map.of(),
        null);
    answer(
        s,
        "limit at its maximum",
        "GET",
        q + "from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&granularity=hour&limit=10000",
        Map.of(),
        null);
    add(
        s,
        "limit past its maximum",
        "GET",
        q + "from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&granularity=hour&limit=10001",
        Map.of(),
        null);
    for (String limit : List.of("0", "-1", "99999999999999999999", "1e3", "", "%00", "%FF")) {
      add(
          s,
          "limit=" + limit,
          "GET",
          q + "from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&limit=" + limit,
          Map.of(),
          null);
    }
    add(
        s,
        "filter repeated 2000 times",
        "GET",
        q
            + "from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"
            + "&filter=status:200".repeat(2000).substring(0, 14_000),
        Map.of(),
        null);
    add(
        s,
        "groupBy of 5000 names",
        "GET",
        q + "from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=" + "a,".repeat(5000),
        Map.of(),
        null);
    add(
        s,
        "orderBy of 1000 terms",
        "GET",
        q + "from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&orderBy=" + "-x,".repeat(1000),
        Map.of(),
        null);
    add(
        s,
        "view name of 5000 characters",
        "GET",
        "/api/v1/views/"
            + "v".repeat(5000)
            + "/query?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z",
        Map.of(),
        null);
    add(
        s,
        "view name with %00 and %FF",
        "GET",
        "/api/v1/views/%00%FF/query?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z",
        Map.of(),
        null);
    add(s, "query with no parameters", "GET", q, Map.of(), null);
    add(
        s,
        "POST to a query",
        "POST",
        q + "from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z",
        Map.of("Content-Type", "application/json"),
        bytes(1024));
    for (String limit : List.of("0", "501", "-1", "99999999999999999999", "abc")) {
      add(s, "dlq limit=" + limit, "GET", "/api/v1/dlq?limit=" + limit, Map.of(), null);
    }
    answer(s, "dlq limit at its maximum", "GET", "/api/v1/dlq?limit=500", Map.of(), null);
    answer(s, "views", "GET", "/api/v1/views", Map.of(), null);
    answer(s, "status", "GET", "/api/v1/status", Map.of(), null);
  }

  private void randomQuery(int i) {
    boolean bad = false;
    StringBuilder q = new StringBuilder();
    String from;
    String to;
    int kind = random.nextInt(4);
    if (kind == 0) {
      from = pick(BAD_TIMES);
      to = "2026-01-02T00:00:00Z";
      bad = true;
    } else if (kind == 1) {
      from = pick(EXTREME_TIMES);
      to = pick(EXTREME_TIMES);
      bad = !from.equals(to); // extreme pairs span far more windows than allowed, or are reversed
    } else {
      long start = 1_700_000_000L + random.nextInt(100_000_000);
      from = java.time.Instant.ofEpochSecond(start).toString();
      to = java.time.Instant.ofEpochSecond(start + 3600L * (1 + random.nextInt(48))).toString();
    }
    q.append("from=").append(enc(from)).append("&to=").append(enc(to));
    if (random.nextBoolean()) {
      q.append("&granularity=")
          .append(
              enc(
                  pick(
                      List.of(
                          "minute",
                          "5m",
                          "hour",
                          "day",
                          "all",
                          "fortnight",
                          "1s",
                          "%00",
                          "h".repeat(3000)))));
    }
    if (random.nextInt(3) == 0) {
      q.append("&groupBy=")
          .append(enc(pick(List.of("status", "status,method", "city", randomText(100)))));
    }
    if (random.nextInt(3) == 0) {
      q.append("&metrics=").append(enc(pick(List.of("requests", "nope", randomText(50)))));
    }
    if (random.nextInt(3) == 0) {
      q.append("&filter=")
          .append(enc(pick(List.of("status:200", "status", ":", "status:" + randomText(500)))));
    }
    if (random.nextInt(4) == 0) {
      q.append("&").append(enc(randomText(20))).append("=1");
      bad = true;
    }
    // a query with only valid parts may well answer 200; anything else must be a 4xx
    add(
        Service.SERVING,
        "query #" + i + ": " + abbreviate(q.toString()),
        "GET",
        "/api/v1/views/"
            + pick(List.of("traffic", "pages", "errors", "revenue", "nope"))
            + "/query?"
            + q,
        Map.of(),
        null,
        bad ? Expect.REJECT : Expect.ANSWER);
  }

  // ---- schema registry

  private void registryFixed() {
    Service s = Service.REGISTRY;
    Map<String, String> json = Map.of("Content-Type", "application/vnd.schemaregistry.v1+json");
    add(s, "register: random bytes", "POST", "/subjects/hostile-value/versions", json, bytes(4096));
    add(
        s,
        "register: 100000 nested arrays",
        "POST",
        "/subjects/hostile-value/versions",
        json,
        nested(100_000));
    add(
        s,
        "register: schema nested 5000 deep",
        "POST",
        "/subjects/hostile-value/versions",
        json,
        utf8("{\"schema\":" + json(new String(nested(5000), StandardCharsets.UTF_8)) + "}"));
    add(
        s,
        "register: schema of 2 MB",
        "POST",
        "/subjects/hostile-value/versions",
        json,
        utf8("{\"schema\":" + json("x".repeat(2 << 20)) + "}"));
    add(
        s,
        "register: schema is a number",
        "POST",
        "/subjects/hostile-value/versions",
        json,
        utf8("{\"schema\":1e999999999}"));
    add(
        s,
        "register: PROTOBUF",
        "POST",
        "/subjects/hostile-value/versions",
        json,
        utf8("{\"schema\":\"\\\"int\\\"\",\"schemaType\":\"PROTOBUF\"}"));
    add(
        s,
        "register: invalid UTF-8",
        "POST",
        "/subjects/hostile-value/versions",
        json,
        concat(
            utf8("{\"schema\":\""),
            new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xFF},
            utf8("\"}")));
    add(
        s,
        "register: subject of 5000 characters",
        "POST",
        "/subjects/" + "s".repeat(5000) + "/versions",
        json,
        utf8("{\"schema\":\"\\\"int\\\"\"}"));
    add(
        s,
        "register: subject with %00",
        "POST",
        "/subjects/a%00b/versions",
        json,
        utf8("{\"schema\":\"\\\"int\\\"\"}"));
    add(
        s,
        "register: subject with invalid UTF-8",
        "POST",
        "/subjects/%FF%FE/versions",
        json,
        utf8("{\"schema\":\"\\\"int\\\"\"}"));
    for (String id : List.of("-1", "0", "99999999999999999999", "abc", "1e10", "%00")) {
      add(s, "schema id " + id, "GET", "/schemas/ids/" + id, Map.of(), null);
    }
    for (String v : List.of("0", "-2", "99999999999", "abc", "latest", "%FF")) {
      add(
          s,
          "version " + v + " of an unknown subject",
          "GET",
          "/subjects/nope/versions/" + v,
          Map.of(),
          null);
    }
    add(
        s,
        "config: junk level",
        "PUT",
        "/config",
        json,
        utf8("{\"compatibility\":\"" + "X".repeat(10_000) + "\"}"));
    add(s, "config: nested", "PUT", "/config/hostile", json, nested(50_000));
    add(
        s,
        "compatibility: junk",
        "POST",
        "/compatibility/subjects/nope/versions/latest",
        json,
        bytes(2048));
    answer(
        s,
        "schemas with extreme paging",
        "GET",
        "/schemas?offset=-1&limit=99999999999",
        Map.of(),
        null);
    answer(s, "subjects", "GET", "/subjects", Map.of(), null);
  }

  private void randomRegistry(int i) {
    String schema =
        pick(
            List.of(
                "{\"type\":\"record\",\"name\":\"" + randomText(30) + "\",\"fields\":[]}",
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\""
                    + randomText(20)
                    + "\"}]}",
                "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"" + randomText(10) + "\"]}",
                "{\"type\":\"fixed\",\"name\":\"F\",\"size\":" + pick(BAD_NUMBERS) + "}",
                randomText(100)));
    add(
        Service.REGISTRY,
        "register #" + i + ": " + abbreviate(schema),
        "POST",
        "/subjects/hostile-" + (i % 3) + "/versions",
        Map.of("Content-Type", "application/json"),
        utf8("{\"schema\":" + json(schema) + "}"));
  }

  // ---- helpers

  private void add(
      Service s, String name, String method, String target, Map<String, String> h, byte[] body) {
    add(s, name, method, target, h, body, Expect.REJECT);
  }

  private void answer(
      Service s, String name, String method, String target, Map<String, String> h, byte[] body) {
    add(s, name, method, target, h, body, Expect.ANSWER);
  }

  private void add(
      Service s,
      String name,
      String method,
      String target,
      Map<String, String> h,
      byte[] body,
      Expect expect) {
    cases.add(
        new Case(s, name, method, target.getBytes(StandardCharsets.ISO_8859_1), h, body, expect));
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** Text with letters, control characters, quotes, surrogates and right-to-left marks. */
  private String randomText(int n) {
    StringBuilder sb = new StringBuilder();
    String special = "\u0000\u0001\u001f\"\\\n\r\t\u007f\u202e\ud83d\ude00\ud800%&=+/:,;#?";
    for (int i = 0; i < n; i++) {
      sb.append(
          random.nextInt(3) == 0
              ? special.charAt(random.nextInt(special.length()))
              : (char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }

  private static byte[] nested(int depth) {
    return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] invalidUtf8Order() {
    return concat(
        utf8("{\"order_id\":\""),
        new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xED, (byte) 0xA0, (byte) 0x80},
        utf8("\"}"));
  }

  private static byte[] gzipZeros(int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < size; i += zeros.length) {
        gz.write(zeros);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** {@code s} as a JSON string literal. */
  static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  private static String abbreviate(String s) {
    String flat = s.replaceAll("\\p{Cntrl}", "?");
    return flat.length() > 60 ? flat.substring(0, 60) + "... (" + s.length() + " chars)" : flat;
  }
}
