package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.stream.enrich.InternalTraffic;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Forwards external traffic; drops internal addresses, counting each per reason. */
final class InternalTrafficFilter
    implements FixedKeyProcessor<String, AccessLogEvent, AccessLogEvent> {
  private final InternalTraffic internal;
  private final StreamMetrics metrics;
  private FixedKeyProcessorContext<String, AccessLogEvent> context;

  InternalTrafficFilter(InternalTraffic internal, StreamMetrics metrics) {
    this.internal = internal;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, AccessLogEvent> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, AccessLogEvent> record) {
    Optional<InternalTraffic.Reason> reason = internal.classify(record.value().getClient());
    if (reason.isPresent()) {
      metrics.droppedInternal(reason.get().tag());
      return;
    }
    context.forward(record);
  }
}
