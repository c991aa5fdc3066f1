package io.oxbow.stream.enrich;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IP address literals as 16 big-endian bytes, IPv4 mapped into IPv6 ({@code ::ffff:a.b.c.d}), so
 * that IPv4 and IPv6 ranges sort and compare in one key space. Never resolves host names: text that
 * is not an address literal gives an empty result.
 */
public final class IpAddresses {
  private IpAddresses() {}

  /**
   * The 16-byte form of an IPv4 or IPv6 literal (brackets and an IPv6 zone such as {@code %eth0}
   * are ignored), or empty when {@code text} is not an address literal (e.g. a host name).
   */
  public static Optional<byte[]> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    String t = text.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    int zone = t.indexOf('%');
    if (zone >= 0) {
      t = t.substring(0, zone);
    }
    if (t.indexOf(':') >= 0) {
      return ipv6(t);
    }
    byte[] v4 = ipv4(t);
    return v4 == null ? Optional.empty() : Optional.of(mapped(v4));
  }

  /** Like {@link #parse} but throws {@link IllegalArgumentException} naming the text. */
  public static byte[] require(String text) {
    return parse(text)
        .orElseThrow(() -> new IllegalArgumentException("not an IP address: \"" + text + "\""));
  }

  /** True when the 16 bytes are an IPv4-mapped address. */
  public static boolean isIpv4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  /** The text form: dotted quad for IPv4-mapped addresses, else IPv6 as the JDK writes it. */
  public static String format(byte[] a) {
    if (isIpv4Mapped(a)) {
      return (a[12] & 0xff) + "." + (a[13] & 0xff) + "." + (a[14] & 0xff) + "." + (a[15] & 0xff);
    }
    try {
      return InetAddress.getByAddress(a).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("16 bytes expected", e);
    }
  }

  static byte[] mapped(byte[] v4) {
    byte[] out = new byte[16];
    out[10] = (byte) 0xff;
    out[11] = (byte) 0xff;
    System.arraycopy(v4, 0, out, 12, 4);
    return out;
  }

  private static byte[] ipv4(String t) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i <= t.length(); i++) {
      char c = i < t.length() ? t.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) {
          return null;
        }
      } else if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static Optional<byte[]> ipv6(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == ':'
              || c == '.';
      if (!ok) {
        return Optional.empty();
      }
    }
    try {
      // a literal with ':' is parsed, never looked up
      byte[] raw = InetAddress.getByName(t).getAddress();
      return Optional.of(raw.length == 4 ? mapped(raw) : raw);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
