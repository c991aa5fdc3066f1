package io.oxbow.runtime.http.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys a service accepts, stored only as SHA-256 hashes, each with its {@link Permission}s.
 *
 * <p>One entry is {@code name:sha256hex:permission+permission}, e.g. {@code agent:9f86d0...:logs}
 * or {@code ops:2c26b4...:*}. Entries are separated by commas or new lines; in a key file blank
 * lines and lines starting with {@code #} are ignored. The same file serves ingest, the serving API
 * and the schema registry. An empty ring turns authentication off.
 *
 * <p>A key is made by {@link #generate(String, String)} ({@code oxbow ingest --generate-key NAME}):
 * {@code oxb_} and 43 characters of base64url (256 random bits).
 */
public final class ApiKeyRing {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<Entry> entries;

  private ApiKeyRing(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** No keys: authentication off. */
  public static ApiKeyRing none() {
    return new ApiKeyRing(List.of());
  }

  /**
   * Parses entries separated by commas or new lines.
   *
   * @throws IllegalArgumentException naming the bad entry (by its name only: the hash is not
   *     repeated)
   */
  public static ApiKeyRing parse(String text) {
    List<Entry> entries = new ArrayList<>();
    for (String line : text.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("#")) {
        continue;
      }
      for (String raw : trimmed.split(",")) {
        String item = raw.trim();
        if (!item.isEmpty()) {
          entries.add(entry(item));
        }
      }
    }
    return new ApiKeyRing(entries);
  }

  /**
   * Reads a key file.
   *
   * @throws IllegalArgumentException when it cannot be read or an entry is malformed
   */
  public static ApiKeyRing load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the key file " + file + ": " + e, e);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException("cannot read the key file " + file + ": " + e, e);
    }
  }

  private static Entry entry(String item) {
    String[] parts = item.split(":");
    if (parts.length != 3 || parts[0].isBlank() || !parts[1].matches("[0-9a-fA-F]{64}")) {
      String name = parts.length > 0 ? parts[0] : "";
      throw new IllegalArgumentException(
          "expected name:sha256hex:permission+permission, got a malformed entry"
              + (name.isBlank() ? "" : " named \"" + name + "\""));
    }
    Set<Permission> permissions;
    try {
      permissions = Permission.parseAll(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " in the key " + parts[0], e);
    }
    return new Entry(
        new ApiKey(parts[0], permissions),
        HexFormat.of().parseHex(parts[1].toLowerCase(Locale.ROOT)));
  }

  /** This ring plus {@code other}'s keys. */
  public ApiKeyRing plus(ApiKeyRing other) {
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(other.entries);
    return new ApiKeyRing(all);
  }

  /** Whether no key is configured (authentication off). */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The key whose secret is {@code secret}, compared by hash in constant time per entry. */
  public Optional<ApiKey> find(String secret) {
    byte[] hash = sha256(secret);
    ApiKey found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.hash(), hash) && found == null) {
        found = entry.key();
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * A new random key and its entry.
   *
   * @param name the key's name
   * @param permissions e.g. {@code logs+orders}, {@code read} or {@code *}
   * @throws IllegalArgumentException for an unknown permission or a name with {@code :} or {@code
   *     ,}
   */
  public static Generated generate(String name, String permissions) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String key = "oxb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String hash = HexFormat.of().formatHex(sha256(key));
    String entry = name + ":" + hash + ":" + permissions;
    if (name.contains(",") || parse(entry).entries.size() != 1) {
      throw new IllegalArgumentException("a key name may not contain ':' or ','");
    }
    return new Generated(key, hash, entry);
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The number of keys, never their names or hashes. */
  @Override
  public String toString() {
    return entries.size() + " API key(s)";
  }

  /**
   * A generated key.
   *
   * @param key the secret to give the client
   * @param sha256Hex its hash
   * @param configEntry the key-file entry that accepts it
   */
  public record Generated(String key, String sha256Hex, String configEntry) {}

  private record Entry(ApiKey key, byte[] hash) {}
}
