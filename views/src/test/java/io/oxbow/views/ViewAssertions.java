package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.views.record.RecordFields;
import io.oxbow.views.record.ValueExtractor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;

/** Compares folded groups of a view with each other and with the input they came from. */
final class ViewAssertions {
  private ViewAssertions() {}

  /**
   * Asserts that {@code actual} and {@code whole} have the same groups, the same record counts,
   * byte-identical exact metrics, and sketches within bounds of the truth over {@code input}.
   */
  static void assertGroupsAgree(
      ViewFolder folder,
      Map<GroupKey, Aggregate> actual,
      Map<GroupKey, Aggregate> whole,
      List<? extends GenericRecord> input) {
    Map<GroupKey, List<GenericRecord>> truth = new HashMap<>();
    for (GenericRecord record : input) {
      if (folder.accepts(record)) {
        truth.computeIfAbsent(folder.key(record), k -> new ArrayList<>()).add(record);
      }
    }
    assertThat(actual.keySet()).isEqualTo(whole.keySet()).isEqualTo(truth.keySet());
    List<MetricSpec> metrics = folder.definition().metrics();
    for (Map.Entry<GroupKey, Aggregate> group : actual.entrySet()) {
      Aggregate merged = group.getValue();
      Aggregate direct = whole.get(group.getKey());
      List<GenericRecord> records = truth.get(group.getKey());
      assertThat(merged.records()).as("records of %s", group.getKey()).isEqualTo(records.size());
      assertThat(direct.records()).isEqualTo(records.size());
      for (MetricSpec spec : metrics) {
        List<Object> values = new ArrayList<>();
        if (spec.field() != null) {
          ValueExtractor field = RecordFields.resolve(folder.definition().source(), spec.field());
          records.forEach(r -> values.add(field.extract(r)));
        }
        MetricAssertions.assertAgrees(
            spec, merged.state(spec.name()), direct.state(spec.name()), values, records.size());
      }
    }
  }

  /** Merges groups of several maps, the maps in random order. */
  static Map<GroupKey, Aggregate> mergeAll(
      ViewFolder folder, List<Map<GroupKey, Aggregate>> parts, Random random) {
    List<Map<GroupKey, Aggregate>> order = new ArrayList<>(parts);
    java.util.Collections.shuffle(order, random);
    Map<GroupKey, Aggregate> merged = new HashMap<>();
    for (Map<GroupKey, Aggregate> part : order) {
      part.forEach((key, aggregate) -> merged.merge(key, aggregate.copy(), folder::merge));
    }
    return merged;
  }

  /** Exact metrics of equal groups have identical bytes. */
  static void assertExactBytesEqual(
      ViewFolder folder, Map<GroupKey, Aggregate> a, Map<GroupKey, Aggregate> b) {
    assertThat(a.keySet()).isEqualTo(b.keySet());
    for (GroupKey key : a.keySet()) {
      assertThat(a.get(key).records()).isEqualTo(b.get(key).records());
      for (MetricSpec spec : folder.definition().metrics()) {
        if (spec.type().exact()) {
          assertThat(a.get(key).state(spec.name()).toBytes())
              .as("%s of %s", spec.name(), key)
              .isEqualTo(b.get(key).state(spec.name()).toBytes());
        }
      }
    }
  }
}
