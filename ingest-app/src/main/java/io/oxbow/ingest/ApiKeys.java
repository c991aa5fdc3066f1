package io.oxbow.ingest;

import io.oxbow.runtime.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * API keys, stored only as SHA-256 hashes, each with the endpoints it may call.
 *
 * <p>Configured as {@code name:sha256hex:permission+permission}, entries separated by commas, e.g.
 * {@code agent:9f86d0...:logs,shop:60303a...:orders,admin:2c26b4...:*}. Permissions: {@code logs}
 * ({@code POST /v1/logs}), {@code orders} ({@code POST /v1/events/orders}), {@code *} (all). An
 * empty configuration turns authentication off (the app logs a warning at start).
 *
 * <p>Requests present the key as {@code Authorization: Bearer <key>}: no or an unknown key gives
 * 401, a known key without the endpoint's permission 403.
 */
public final class ApiKeys {
  /** Permission to post log lines. */
  public static final String LOGS = "logs";

  /** Permission to post order events. */
  public static final String ORDERS = "orders";

  private static final Set<String> PERMISSIONS = Set.of(LOGS, ORDERS, "*");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<Entry> entries;

  private ApiKeys(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** No keys: authentication off. */
  public static ApiKeys none() {
    return new ApiKeys(List.of());
  }

  /**
   * Parses the configured form.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static ApiKeys parse(String text) {
    List<Entry> entries = new ArrayList<>();
    for (String raw : text.split(",")) {
      String item = raw.trim();
      if (item.isEmpty()) {
        continue;
      }
      String[] parts = item.split(":");
      if (parts.length != 3 || parts[0].isBlank() || !parts[1].matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(
            "expected name:sha256hex:permission+permission, got \"" + item + "\"");
      }
      Set<String> permissions = Set.of(parts[2].split("\\+"));
      for (String p : permissions) {
        if (!PERMISSIONS.contains(p)) {
          throw new IllegalArgumentException(
              "unknown permission \"" + p + "\" in " + parts[0] + " (known: logs, orders, *)");
        }
      }
      entries.add(
          new Entry(
              parts[0], HexFormat.of().parseHex(parts[1].toLowerCase(Locale.ROOT)), permissions));
    }
    return new ApiKeys(entries);
  }

  /** Whether any key is configured (authentication on). */
  public boolean enabled() {
    return !entries.isEmpty();
  }

  /**
   * The name of the key in {@code authorization} if it may use {@code permission}.
   *
   * @param authorization the Authorization header (may be null)
   * @return the key's name, or {@code "anonymous"} when authentication is off
   * @throws ApiException 401 without a valid key, 403 when the key lacks the permission
   */
  public String authorize(String authorization, String permission) {
    if (!enabled()) {
      return "anonymous";
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "an API key is required: Authorization: Bearer <key>");
    }
    byte[] hash = sha256(authorization.substring(7).trim());
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.hash(), hash)) {
        if (entry.permissions().contains("*") || entry.permissions().contains(permission)) {
          return entry.name();
        }
        throw new ApiException(
            403, "the API key " + entry.name() + " may not use this endpoint (" + permission + ")");
      }
    }
    throw new ApiException(401, "unknown API key");
  }

  /**
   * A new random key and its configuration entry.
   *
   * @param name the key's name
   * @param permissions e.g. {@code logs+orders} or {@code *}
   */
  public static Generated generate(String name, String permissions) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String key = "oxb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String hash = HexFormat.of().formatHex(sha256(key));
    String entry = name + ":" + hash + ":" + permissions;
    parse(entry);
    return new Generated(key, hash, entry);
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return entries.size() + " API key(s)";
  }

  /**
   * A generated key.
   *
   * @param key the secret to give the client
   * @param sha256Hex its hash
   * @param configEntry the {@code ingest.api-keys} entry to configure
   */
  public record Generated(String key, String sha256Hex, String configEntry) {}

  private record Entry(String name, byte[] hash, Set<String> permissions) {}
}
