package io.oxbow.stream.geoip;

import io.oxbow.contracts.avro.GeoIpRange;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the geo-IP global store equal to the compacted {@code ref.geoip} topic: a range is put
 * under its 16-byte start, a tombstone deletes it. A key that is not 16 bytes is ignored (it cannot
 * be a range start), with a WARN naming its offset, rather than corrupting the lookup order.
 */
public final class GeoIpStoreUpdater implements Processor<Bytes, GeoIpRange, Void, Void> {
  private static final Logger log = LoggerFactory.getLogger(GeoIpStoreUpdater.class);
  private final String storeName;
  private final GeoIpCache cache;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<Bytes, GeoIpRange> store;

  /**
   * Updates the store called {@code storeName}; tells {@code cache} (null: none) of each change.
   */
  public GeoIpStoreUpdater(String storeName, GeoIpCache cache) {
    this.storeName = storeName;
    this.cache = cache;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<Bytes, GeoIpRange> record) {
    if (record.key() == null || record.key().get().length != 16) {
      log.warn(
          "ignoring a geo-IP record whose key is not a 16-byte range start at {}",
          context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()));
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
    if (cache != null) {
      cache.storeChanged();
    }
  }
}
