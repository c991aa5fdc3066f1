package io.oxbow.stream.topology;

import io.oxbow.stream.internals.StreamsInternals;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Folds a task's records into per-group partial aggregates of one view in memory and sends each
 * partial on once per commit, so the repartition and the windowed merge after it see one record per
 * group and commit instead of one per input record (a map-side combine).
 *
 * <p>Input: records of the view's source (the view's filter is applied here). Output: key = the
 * group's dimension values, value = the partial {@link Aggregate} of the group's window, timestamp
 * = the newest event time folded into it (so it falls into the right window downstream). Partials
 * go out before every commit of the task (through a commit hook, {@link
 * StreamsInternals#bindCommitHook}, whose store is {@code bufferName}), and at once when more than
 * {@code maxGroups} groups are pending, which bounds memory. A record the view cannot fold throws
 * before it changes any partial.
 */
final class PartialFold<V extends GenericRecord>
    implements Processor<String, V, List<String>, Aggregate> {
  private final ViewFolder folder;
  private final String bufferName;
  private final int maxGroups;
  private final Map<GroupKey, Pending> pending = new HashMap<>();
  private ProcessorContext<List<String>, Aggregate> context;
  private RecordMetadata lastInput;

  PartialFold(ViewFolder folder, String bufferName, int maxGroups) {
    this.folder = folder;
    this.bufferName = bufferName;
    this.maxGroups = maxGroups;
  }

  @Override
  public void init(ProcessorContext<List<String>, Aggregate> context) {
    this.context = context;
    pending.clear();
    lastInput = null;
    StreamsInternals.bindCommitHook(
        context, bufferName, () -> lastInput, this::sendAll, pending::clear);
  }

  @Override
  public void process(Record<String, V> record) {
    V value = record.value();
    if (value == null || !folder.accepts(value)) {
      return;
    }
    GroupKey key = folder.key(value);
    Pending group = pending.get(key);
    if (group == null) {
      // fold into a fresh aggregate first: a record that cannot be folded leaves no empty group
      group = new Pending(folder.add(folder.identity(), value), record.timestamp());
      pending.put(key, group);
    } else {
      folder.add(group.aggregate, value);
      group.newest = Math.max(group.newest, record.timestamp());
    }
    lastInput = context.recordMetadata().orElse(lastInput);
    if (pending.size() > maxGroups) {
      sendAll();
    }
  }

  private void sendAll() {
    for (Map.Entry<GroupKey, Pending> e : pending.entrySet()) {
      Pending group = e.getValue();
      context.forward(
          new Record<>(
              e.getKey().dimensions(), group.aggregate, group.newest, new RecordHeaders()));
    }
    pending.clear();
  }

  private static final class Pending {
    private final Aggregate aggregate;
    private long newest;

    Pending(Aggregate aggregate, long newest) {
      this.aggregate = aggregate;
      this.newest = newest;
    }
  }
}
