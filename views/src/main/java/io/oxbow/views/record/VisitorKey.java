package io.oxbow.views.record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one definition of a visitor, shared by the views' derived {@code visitor} value and by
 * sessionization in both layers: the client address (as the parser normalized it) plus a hash of
 * the user agent, so two browsers behind one address count as two visitors while the key carries no
 * readable user-agent text.
 *
 * <p>The key is {@code <client>|<hash>}, where the hash is the first 8 bytes of the SHA-256 of the
 * user agent's UTF-8 bytes in lower-case hex (16 characters). A missing user agent hashes as the
 * empty string. The key is stable across releases: views and visits already written use it.
 */
public final class VisitorKey {
  private static final HexFormat HEX = HexFormat.of();
  private static final int HASH_BYTES = 8;

  private VisitorKey() {}

  /**
   * The visitor of a request.
   *
   * @param client the normalized client address; must not be null
   * @param userAgent the User-Agent header, null when the log had none
   * @return {@code client|hash(userAgent)}
   */
  public static String of(String client, String userAgent) {
    if (client == null) {
      throw new IllegalArgumentException("client must not be null");
    }
    return client + '|' + userAgentHash(userAgent);
  }

  /** The 16-hex-digit hash of {@code userAgent} (null hashes as the empty string). */
  public static String userAgentHash(String userAgent) {
    byte[] bytes = (userAgent == null ? "" : userAgent).getBytes(StandardCharsets.UTF_8);
    byte[] digest = sha256().digest(bytes);
    return HEX.formatHex(digest, 0, HASH_BYTES);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
