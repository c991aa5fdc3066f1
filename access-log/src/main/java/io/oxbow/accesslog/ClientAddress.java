package io.oxbow.accesslog;

import io.oxbow.contracts.avro.ClientKind;
import java.nio.charset.StandardCharsets;

/**
 * Reads a client address from log bytes: IPv4 (canonical dotted quad), IPv6 (RFC 5952 text: lower
 * case, no leading zeros, longest zero run as {@code ::}, IPv4-mapped in mixed notation, brackets
 * dropped, zone kept), or a host name as written. No DNS, no regex; linear in the input.
 *
 * <p>This is the one normal form of a client address in Oxbow: page views are keyed by it, so
 * whatever else names a client (an order's {@code client_ip}) must be normalized with {@link
 * #normalizeIp(String)} to be joined with them.
 */
public final class ClientAddress {

  /** The normalized text and its kind. */
  record Value(String text, ClientKind kind) {}

  private ClientAddress() {}

  /**
   * The normal form of an IP address given as text, exactly as the parser writes the client of a
   * log line: {@code 2001:DB8:0:0:0:0:0:1} becomes {@code 2001:db8::1}, {@code 010.001.000.009}
   * becomes {@code 10.1.0.9}, {@code [::1]} becomes {@code ::1}.
   *
   * @param text an IPv4 or IPv6 address, may be null
   * @return the normalized address, or null when {@code text} is null or not an IPv4 or IPv6
   *     address: host names, and IPv6 addresses with a zone ({@code fe80::1%eth0}, which names an
   *     interface of the sender, not an address another host can see), are not
   */
  public static String normalizeIp(String text) {
    if (text == null) {
      return null;
    }
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    Value value = parse(b, 0, b.length);
    boolean ip = value != null && value.kind() != ClientKind.HOSTNAME;
    return ip && value.text().indexOf('%') < 0 ? value.text() : null;
  }

  /** Returns the address in {@code b[from, to)}, or null when it is not an address or host name. */
  static Value parse(byte[] b, int from, int to) {
    if (to - from >= 2 && b[from] == '[' && b[to - 1] == ']') {
      return ipv6(b, from + 1, to - 1);
    }
    Value v4 = ipv4(b, from, to);
    if (v4 != null) {
      return v4;
    }
    Value v6 = ipv6(b, from, to);
    if (v6 != null) {
      return v6;
    }
    return hostName(b, from, to);
  }

  private static Value ipv4(byte[] b, int from, int to) {
    int[] parts = new int[4];
    if (!ipv4Parts(b, from, to, parts)) {
      return null;
    }
    boolean canonical = true;
    int p = from;
    for (int i = 0; i < 4; i++) {
      if (b[p] == '0' && p + 1 < to && b[p + 1] != '.') {
        canonical = false;
      }
      while (p < to && b[p] != '.') {
        p++;
      }
      p++;
    }
    String text =
        canonical
            ? new String(b, from, to - from, StandardCharsets.ISO_8859_1)
            : parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3];
    return new Value(text, ClientKind.IPV4);
  }

  private static boolean ipv4Parts(byte[] b, int from, int to, int[] parts) {
    int part = 0;
    int digits = 0;
    int value = 0;
    for (int p = from; p < to; p++) {
      byte c = b[p];
      if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return false;
        }
      } else if (c == '.' && digits > 0 && part < 3) {
        parts[part++] = value;
        digits = 0;
        value = 0;
      } else {
        return false;
      }
    }
    if (digits == 0 || part != 3) {
      return false;
    }
    parts[3] = value;
    return true;
  }

  private static Value ipv6(byte[] b, int from, int to) {
    int zone = to;
    for (int p = from; p < to; p++) {
      if (b[p] == '%') {
        zone = p;
        break;
      }
    }
    int[] groups = new int[8];
    if (!ipv6Groups(b, from, zone, groups)) {
      return null;
    }
    String text = Ipv6Text.format(groups);
    if (zone < to) {
      text = text + new String(b, zone, to - zone, StandardCharsets.UTF_8);
    }
    return new Value(text, ClientKind.IPV6);
  }

  /** Parses hex groups with at most one {@code ::} and an optional trailing dotted IPv4 part. */
  private static boolean ipv6Groups(byte[] b, int from, int to, int[] groups) {
    if (to - from < 2) {
      return false;
    }
    int count = 0;
    int gap = -1;
    int p = from;
    if (b[p] == ':') {
      if (b[p + 1] != ':') {
        return false;
      }
      gap = 0;
      p += 2;
    }
    while (p < to) {
      int start = p;
      int value = 0;
      while (p < to && p - start < 5 && hex(b[p]) >= 0) {
        value = (value << 4) | hex(b[p]);
        p++;
      }
      if (p < to && b[p] == '.') {
        int[] v4 = new int[4];
        if (count > 6 || !ipv4Parts(b, start, to, v4)) {
          return false;
        }
        groups[count++] = (v4[0] << 8) | v4[1];
        groups[count++] = (v4[2] << 8) | v4[3];
        p = to;
        break;
      }
      if (p == start || p - start > 4 || count == 8) {
        return false;
      }
      groups[count++] = value;
      if (p == to) {
        break;
      }
      if (b[p] != ':' || p + 1 == to) {
        return false;
      }
      p++;
      if (b[p] == ':') {
        if (gap >= 0) {
          return false;
        }
        gap = count;
        p++;
      }
    }
    if (gap < 0) {
      return count == 8;
    }
    if (count > 7) {
      return false;
    }
    int move = count - gap;
    System.arraycopy(groups, gap, groups, 8 - move, move);
    for (int i = gap; i < 8 - move; i++) {
      groups[i] = 0;
    }
    return true;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static Value hostName(byte[] b, int from, int to) {
    boolean alnum = false;
    for (int p = from; p < to; p++) {
      byte c = b[p];
      boolean letterOrDigit =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c < 0;
      if (letterOrDigit) {
        alnum = true;
      } else if (c != '.' && c != '-' && c != '_') {
        return null;
      }
    }
    return alnum
        ? new Value(new String(b, from, to - from, StandardCharsets.UTF_8), ClientKind.HOSTNAME)
        : null;
  }
}
