package io.oxbow.views;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The group an input record falls into: its event-time window and its dimension values (in the
 * order of the view's dimensions; a value is null when the record has none). Its Avro form is
 * {@code io.oxbow.contracts.avro.ViewKey} (see {@link AggregateCodec}). Sorts by window start, then
 * dimension values (null first).
 *
 * @param windowStart inclusive window start, UTC epoch millis
 * @param windowEnd exclusive window end, UTC epoch millis
 * @param dimensions dimension values as text, nulls allowed
 */
public record GroupKey(long windowStart, long windowEnd, List<String> dimensions)
    implements Comparable<GroupKey> {
  private static final Comparator<String> VALUE =
      Comparator.nullsFirst(Comparator.<String>naturalOrder());

  /** Copies the values (nulls allowed) into an unmodifiable list. */
  public GroupKey {
    dimensions = Collections.unmodifiableList(new ArrayList<>(dimensions));
  }

  // equals and hashCode walk the values by index: the list's own equals allocates an iterator,
  // and groups are looked up once per record and view
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GroupKey other)
        || windowStart != other.windowStart
        || windowEnd != other.windowEnd
        || dimensions.size() != other.dimensions.size()) {
      return false;
    }
    for (int i = 0; i < dimensions.size(); i++) {
      if (!Objects.equals(dimensions.get(i), other.dimensions.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(windowStart) * 31 + Long.hashCode(windowEnd);
    for (int i = 0; i < dimensions.size(); i++) {
      h = h * 31 + Objects.hashCode(dimensions.get(i));
    }
    return h;
  }

  @Override
  public int compareTo(GroupKey other) {
    int cmp = Long.compare(windowStart, other.windowStart);
    if (cmp == 0) {
      cmp = Long.compare(windowEnd, other.windowEnd);
    }
    for (int i = 0; cmp == 0 && i < Math.min(dimensions.size(), other.dimensions.size()); i++) {
      cmp = VALUE.compare(dimensions.get(i), other.dimensions.get(i));
    }
    return cmp != 0 ? cmp : Integer.compare(dimensions.size(), other.dimensions.size());
  }
}
