package io.oxbow.stream.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a client address is internal traffic that the analytics should not count:
 * loopback, RFC 1918 private, link-local, carrier-grade NAT ({@code 100.64.0.0/10}), the IPv6
 * unique-local, loopback and link-local blocks, the unspecified address, and any configured blocks.
 * Host names are never internal (they cannot be checked without DNS).
 */
public final class InternalTraffic {

  /** Why an address is internal; the tag value of the {@code dropped_internal} metric. */
  public enum Reason {
    /** 127.0.0.0/8, ::1. */
    LOOPBACK,
    /** 10/8, 172.16/12, 192.168/16 (RFC 1918). */
    PRIVATE,
    /** 169.254/16, fe80::/10. */
    LINK_LOCAL,
    /** 100.64.0.0/10 (RFC 6598). */
    CGNAT,
    /** fc00::/7 (RFC 4193). */
    UNIQUE_LOCAL,
    /** 0.0.0.0/8, ::/128. */
    UNSPECIFIED,
    /** A block from {@code stream.internal-cidrs}. */
    CONFIGURED;

    /** The metric tag, lower case. */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private record Block(Cidr cidr, Reason reason) {}

  private final List<Block> blocks;

  /** The standard blocks plus {@code configured}. */
  public InternalTraffic(List<Cidr> configured) {
    List<Block> b = new ArrayList<>();
    add(b, Reason.LOOPBACK, "127.0.0.0/8", "::1/128");
    add(b, Reason.PRIVATE, "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
    add(b, Reason.LINK_LOCAL, "169.254.0.0/16", "fe80::/10");
    add(b, Reason.CGNAT, "100.64.0.0/10");
    add(b, Reason.UNIQUE_LOCAL, "fc00::/7");
    add(b, Reason.UNSPECIFIED, "0.0.0.0/8", "::/128");
    for (Cidr c : configured) {
      b.add(new Block(c, Reason.CONFIGURED));
    }
    this.blocks = List.copyOf(b);
  }

  private static void add(List<Block> b, Reason reason, String... cidrs) {
    for (String c : cidrs) {
      b.add(new Block(Cidr.parse(c), reason));
    }
  }

  /** The reason {@code client} is internal, or empty for external addresses and host names. */
  public Optional<Reason> classify(String client) {
    Optional<byte[]> address = IpAddresses.parse(client);
    if (address.isEmpty()) {
      return Optional.empty();
    }
    byte[] a = address.get();
    for (Block block : blocks) {
      if (block.cidr().contains(a)) {
        return Optional.of(block.reason());
      }
    }
    return Optional.empty();
  }
}
