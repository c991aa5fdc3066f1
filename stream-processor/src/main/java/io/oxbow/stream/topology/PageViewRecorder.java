package io.oxbow.stream.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Keeps each client's page views (key: the client address, the enriched topic's key) by event time
 * in the attribution window store. Input values are null for events that are not page views ({@link
 * PageViewProjection}); those are skipped.
 */
final class PageViewRecorder implements Processor<String, PageView, Void, Void> {
  private final String storeName;
  private WindowStore<String, PageView> store;

  PageViewRecorder(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, PageView> record) {
    PageView view = record.value();
    if (view != null && record.key() != null) {
      store.put(record.key(), view, view.eventTime());
    }
  }
}
