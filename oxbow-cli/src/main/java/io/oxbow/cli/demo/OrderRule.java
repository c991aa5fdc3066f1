package io.oxbow.cli.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Derives orders from the replayed access log, since no public order stream matches these logs.
 *
 * <p>The rule, deterministic for a given log: a <em>session</em> is a client's requests with gaps
 * under 30 minutes. A session that fetches a page under {@code /projects/} or {@code /files/}
 * places an order 30 seconds after the first such request when a SHA-256 hash of (client, session
 * start) falls in the first {@code fraction} of the hash space (default 35%). Amount 5.00 to 204.99
 * USD from the same hash, one to three items whose SKUs come from the path. Each session orders at
 * most once.
 */
public final class OrderRule {
  static final Duration SESSION_GAP = Duration.ofMinutes(30);
  static final Duration ORDER_DELAY = Duration.ofSeconds(30);

  private final double fraction;
  private final Map<String, Session> sessions = new HashMap<>();

  /** The rule with the share of qualifying sessions that order ({@code 0..1}). */
  public OrderRule(double fraction) {
    if (fraction < 0 || fraction > 1) {
      throw new IllegalArgumentException("fraction must be within 0..1, was " + fraction);
    }
    this.fraction = fraction;
  }

  /** A derived order, as the ingest API takes it. */
  public record DerivedOrder(
      String orderId,
      String clientIp,
      String customerId,
      BigDecimal amount,
      String currency,
      Instant eventTime,
      List<Map<String, Object>> items) {

    /** The JSON object for {@code POST /v1/events/orders}. */
    public Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("order_id", orderId);
      json.put("client_ip", clientIp);
      json.put("customer_id", customerId);
      json.put("amount", amount);
      json.put("currency", currency);
      json.put("event_time", eventTime.toString());
      json.put("items", items);
      return json;
    }
  }

  /**
   * Feeds one request (in the order replayed) and returns the order it triggers, if any.
   *
   * @param client the client address as written
   * @param path the request path
   * @param time the request's (shifted) event time
   */
  public Optional<DerivedOrder> onRequest(String client, String path, Instant time) {
    Session session = sessions.get(client);
    if (session == null || Duration.between(session.lastSeen, time).compareTo(SESSION_GAP) > 0) {
      session = new Session(time);
      sessions.put(client, session);
    }
    if (time.isAfter(session.lastSeen)) {
      session.lastSeen = time;
    }
    if (session.ordered || path == null || !qualifies(path)) {
      return Optional.empty();
    }
    byte[] hash = sha256(client + "|" + session.start.toEpochMilli());
    double draw = (Byte.toUnsignedInt(hash[0]) << 8 | Byte.toUnsignedInt(hash[1])) / 65536.0;
    if (draw >= fraction) {
      return Optional.empty();
    }
    session.ordered = true;
    int cents = 500 + ((Byte.toUnsignedInt(hash[2]) << 8 | Byte.toUnsignedInt(hash[3])) % 20000);
    BigDecimal amount = BigDecimal.valueOf(cents, 2).setScale(2, RoundingMode.UNNECESSARY);
    String id = "ord-" + hex(hash, 8);
    String customer = "cust-" + hex(sha256(client), 6);
    return Optional.of(
        new DerivedOrder(
            id,
            client,
            customer,
            amount,
            "USD",
            time.plus(ORDER_DELAY),
            items(path, amount, 1 + Byte.toUnsignedInt(hash[4]) % 3)));
  }

  private static boolean qualifies(String path) {
    return path.startsWith("/projects/") || path.startsWith("/files/");
  }

  private static List<Map<String, Object>> items(String path, BigDecimal amount, int count) {
    String sku = path.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
    BigDecimal each = amount.divide(BigDecimal.valueOf(count), 2, RoundingMode.DOWN);
    BigDecimal last = amount.subtract(each.multiply(BigDecimal.valueOf(count - 1L)));
    List<Map<String, Object>> items = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(
          Map.of("sku", sku + "-" + (i + 1), "quantity", 1, "price", i == count - 1 ? last : each));
    }
    return items;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static String hex(byte[] bytes, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(String.format(java.util.Locale.ROOT, "%02x", bytes[i]));
    }
    return sb.toString();
  }

  private static final class Session {
    final Instant start;
    Instant lastSeen;
    boolean ordered;

    Session(Instant start) {
      this.start = start;
      this.lastSeen = start;
    }
  }
}
