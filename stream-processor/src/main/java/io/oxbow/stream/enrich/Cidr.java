package io.oxbow.stream.enrich;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}, held as 16 bytes (IPv4 mapped
 * into IPv6, so an IPv4 prefix of length n is a 16-byte prefix of length 96 + n).
 *
 * @param text the block as written
 * @param network the first address, 16 bytes
 * @param prefixLength the prefix length in the 128-bit space
 */
public record Cidr(String text, byte[] network, int prefixLength) {

  /**
   * Parses {@code address/length} (or a bare address: one host).
   *
   * @throws IllegalArgumentException naming the text when it is not a CIDR block
   */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    byte[] network = IpAddresses.parse(address).orElse(null);
    if (network == null) {
      throw new IllegalArgumentException(
          "not a CIDR block: \"" + text + "\" (expected e.g. 10.0.0.0/8 or fc00::/7)");
    }
    boolean v4 = address.indexOf(':') < 0;
    int max = v4 ? 32 : 128;
    int length;
    try {
      length = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR block: \"" + text + "\" (bad prefix length)");
    }
    if (length < 0 || length > max) {
      throw new IllegalArgumentException(
          "not a CIDR block: \"" + text + "\" (prefix length must be 0.." + max + ")");
    }
    int bits = v4 ? 96 + length : length;
    return new Cidr(t, mask(network, bits, false), bits);
  }

  /** True when the 16-byte address lies in this block. */
  public boolean contains(byte[] address) {
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int m = (0xff << (8 - rest)) & 0xff;
    return (address[full] & m) == (network[full] & m);
  }

  /** The last address of the block, 16 bytes. */
  public byte[] last() {
    return mask(network, prefixLength, true);
  }

  private static byte[] mask(byte[] address, int bits, boolean fillOnes) {
    byte[] out = address.clone();
    for (int i = 0; i < 16; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      int m = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
      out[i] = (byte) (fillOnes ? (out[i] & m) | (~m & 0xff) : out[i] & m);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c
        && c.prefixLength == prefixLength
        && java.util.Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(network) * 31 + prefixLength;
  }

  @Override
  public String toString() {
    return text;
  }
}
