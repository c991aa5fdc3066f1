package io.oxbow.stream.geoip;

import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.stream.enrich.IpAddresses;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Country of an address from the geo-IP ranges store (key: 16-byte range start, value: {@link
 * GeoIpRange}): the range with the greatest start at or below the address, if its end is at or
 * above it. Host names and addresses in no range give {@value #UNKNOWN}.
 */
public final class GeoIpLookup {
  /** The country of clients that no range holds. */
  public static final String UNKNOWN = "unknown";

  /**
   * A lookup's answer.
   *
   * @param country ISO code or {@value #UNKNOWN}
   * @param outcome {@code hit}, {@code miss} or {@code hostname} (the metric tag)
   */
  public record Result(String country, String outcome) {}

  private static final Result HOSTNAME = new Result(UNKNOWN, "hostname");
  private static final Result MISS = new Result(UNKNOWN, "miss");

  private final ReadOnlyKeyValueStore<Bytes, GeoIpRange> store;
  private final GeoIpCache cache;

  /** A lookup over {@code store}, without a cache. */
  public GeoIpLookup(ReadOnlyKeyValueStore<Bytes, GeoIpRange> store) {
    this(store, null);
  }

  /** A lookup over {@code store} with answers cached in {@code cache} (null: none). */
  public GeoIpLookup(ReadOnlyKeyValueStore<Bytes, GeoIpRange> store, GeoIpCache cache) {
    this.store = store;
    this.cache = cache;
  }

  /** The country of {@code client} (an address literal or a host name). */
  public Result country(String client) {
    return cache == null ? lookUp(client) : cache.get(client, this::lookUp);
  }

  private Result lookUp(String client) {
    Optional<byte[]> address = IpAddresses.parse(client);
    if (address.isEmpty()) {
      return HOSTNAME;
    }
    return find(address.get()).map(r -> new Result(r.getCountry(), "hit")).orElse(MISS);
  }

  /** The range holding the 16-byte {@code address}, if any. */
  public Optional<GeoIpRange> find(byte[] address) {
    try (KeyValueIterator<Bytes, GeoIpRange> floor =
        store.reverseRange(null, Bytes.wrap(address))) {
      if (!floor.hasNext()) {
        return Optional.empty();
      }
      KeyValue<Bytes, GeoIpRange> candidate = floor.next();
      byte[] end = toArray(candidate.value.getEndBytes());
      return Arrays.compareUnsigned(address, end) <= 0
          ? Optional.of(candidate.value)
          : Optional.empty();
    }
  }

  private static byte[] toArray(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
