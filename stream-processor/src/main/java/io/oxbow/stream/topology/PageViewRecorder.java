package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.AccessLogEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/** Keeps each client's page views (by event time) in the attribution window store. */
final class PageViewRecorder implements Processor<String, AccessLogEvent, Void, Void> {
  private final String storeName;
  private WindowStore<String, AccessLogEvent> store;

  PageViewRecorder(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, AccessLogEvent> record) {
    AccessLogEvent e = record.value();
    if (e != null && PageViews.isPageView(e)) {
      store.put(e.getClient(), e, e.getEventTime().toEpochMilli());
    }
  }
}
