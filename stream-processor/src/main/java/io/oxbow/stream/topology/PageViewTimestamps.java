package io.oxbow.stream.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The timestamp of a record of the enriched topic read as a {@link PageView}: its event time, from
 * the value. The enriched topic is stamped by the broker on append ({@code LogAppendTime}, so its
 * time retention counts from when a record was written), but the page views must still be ordered
 * against the orders they are joined with by event time, as the task picks the partition whose next
 * record is oldest. A record that is no page view (a null value) takes the partition's time, so it
 * neither advances nor holds back stream time.
 */
final class PageViewTimestamps implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof PageView view) {
      return view.eventTime();
    }
    return partitionTime >= 0 ? partitionTime : Math.max(0, record.timestamp());
  }
}
