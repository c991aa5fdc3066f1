package io.oxbow.stream.topology;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.Visit;
import io.oxbow.views.visit.PageHit;
import io.oxbow.views.visit.VisitAccumulator;
import io.oxbow.views.visit.VisitRules;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.SessionStore;

/**
 * Sessionization in the speed layer: the enriched events' page views ({@link PageHit#of}, the rule
 * the batch layer applies too) keyed by visitor, repartitioned by visitor ({@link
 * TopologyNames#VISITS_BY_VISITOR}), folded into Kafka Streams session windows whose inactivity gap
 * is the visit timeout and whose grace is the views' grace (store {@link
 * TopologyNames#VISIT_SESSIONS_STORE}; a late page view that falls between two sessions merges
 * them, {@link VisitAccumulator#merge}), held until closed ({@link
 * TopologyNames#VISITS_UNTIL_CLOSED}: a session is closed once stream time passes its last page
 * view by the gap plus the grace), then written once to the {@code visits} topic (key: visitor,
 * value: {@link Visit}, timestamp: the visit's start).
 *
 * <p>Under exactly_once_v2 the session store, the buffer and the output commit together, so a crash
 * neither loses nor repeats a visit.
 */
final class VisitSessions {
  private VisitSessions() {}

  /** Adds the branch; returns the closed visits, timestamped by their start. */
  static KStream<String, Visit> add(
      KStream<String, AccessLogEvent> enriched, TopologyOptions options, StreamSerdes serdes) {
    VisitRules rules = options.visits();
    Serde<VisitAccumulator> visits =
        Serdes.serdeFrom(
            (topic, v) -> v == null ? null : v.toBytes(),
            (topic, bytes) -> bytes == null ? null : VisitAccumulator.fromBytes(bytes));
    KStream<String, Visit> closed =
        enriched
            .flatMap(
                (client, event) -> {
                  PageHit.OfVisitor hit = event == null ? null : PageHit.of(event);
                  return hit == null
                      ? List.<KeyValue<String, VisitAccumulator>>of()
                      : List.of(KeyValue.pair(hit.visitor(), VisitAccumulator.of(hit.hit())));
                },
                Named.as("visits-page-views"))
            .groupByKey(
                Grouped.<String, VisitAccumulator>as(TopologyNames.VISITS_BY_VISITOR)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(visits))
            .windowedBy(SessionWindows.ofInactivityGapAndGrace(rules.timeout(), options.grace()))
            .aggregate(
                VisitAccumulator::empty,
                (visitor, hit, visit) -> visit.merge(hit),
                (visitor, left, right) -> left.merge(right),
                Named.as("visits-sessionize"),
                Materialized.<String, VisitAccumulator, SessionStore<Bytes, byte[]>>as(
                        TopologyNames.VISIT_SESSIONS_STORE)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(visits))
            .suppress(
                Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                    .withName(TopologyNames.VISITS_UNTIL_CLOSED))
            .toStream(Named.as("visits-closed"))
            .process(() -> new Finish(rules), Named.as("visits-finish"));
    closed.to(
        options.visitsTopic(),
        Produced.with(Serdes.String(), serdes.visit()).withName("visits-sink"));
    return closed;
  }

  /** A closed session to its {@link Visit}, keyed by visitor and timestamped by its start. */
  private static final class Finish
      implements Processor<Windowed<String>, VisitAccumulator, String, Visit> {
    private final VisitRules rules;
    private ProcessorContext<String, Visit> context;

    Finish(VisitRules rules) {
      this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, Visit> context) {
      this.context = context;
    }

    @Override
    public void process(Record<Windowed<String>, VisitAccumulator> record) {
      VisitAccumulator visit = record.value();
      if (visit == null || visit.isEmpty()) {
        return;
      }
      String visitor = record.key().key();
      context.forward(
          record
              .withKey(visitor)
              .withValue(visit.toVisit(visitor, rules))
              .withTimestamp(visit.start()));
    }
  }
}
