package io.oxbow.serving.query;

import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/**
 * A layer holding folded groups in memory, with an optional watermark. Its version (of any range)
 * counts the changes made to it.
 */
final class InMemoryLayer implements BatchLayer {
  private final Map<String, TreeMap<GroupKey, Aggregate>> views = new HashMap<>();
  private final Map<String, Long> watermarks = new HashMap<>();
  private long changes;

  /** Folds {@code records} into {@code view}'s groups held here. */
  InMemoryLayer fold(ViewFolder view, Iterable<? extends GenericRecord> records) {
    TreeMap<GroupKey, Aggregate> groups = views.computeIfAbsent(view.name(), v -> new TreeMap<>());
    view.fold(records).forEach((k, v) -> groups.merge(k, v.copy(), view::merge));
    changes++;
    return this;
  }

  InMemoryLayer watermark(String view, long millis) {
    watermarks.put(view, millis);
    changes++;
    return this;
  }

  @Override
  public OptionalLong watermark(String view) {
    Long w = watermarks.get(view);
    return w == null ? OptionalLong.empty() : OptionalLong.of(w);
  }

  @Override
  public Optional<Object> version(String view, long fromMillis, long toMillis) {
    return Optional.of(changes);
  }

  @Override
  public Map<GroupKey, Aggregate> read(ViewFolder view, long fromMillis, long toMillis) {
    Map<GroupKey, Aggregate> out = new HashMap<>();
    views
        .getOrDefault(view.name(), new TreeMap<>())
        .forEach(
            (k, v) -> {
              if (k.windowStart() >= fromMillis && k.windowStart() < toMillis) {
                out.put(k, v);
              }
            });
    return out;
  }
}
