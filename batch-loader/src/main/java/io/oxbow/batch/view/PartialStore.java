package io.oxbow.batch.view;

import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.views.Aggregate;
import io.oxbow.views.AggregateCodec;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The views' per-partition partial aggregates in the lake ({@link LakeLayout.PartialFile}): the
 * groups of one partition's landed rows of one hour, as {@code ViewAggregate} Parquet rows (the
 * encoding of the view files). A partial is only ever read through {@link #read}, and a fold done
 * in memory is put through the same encoding ({@link #canonical}), so the compactor merges the same
 * states whether a partition's groups come from a partial or from its own fold.
 */
final class PartialStore {
  private final LakeStorage storage;

  PartialStore(LakeStorage storage) {
    this.storage = storage;
  }

  /**
   * The fingerprint of {@code view}'s definition a partial is named with (CRC-32 of the
   * definition's text, hex): a partial folded with another definition of the view is never used.
   */
  static String fingerprint(ViewFolder view) {
    CRC32 crc = new CRC32();
    crc.update(view.definition().toString().getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }

  /** Every partial of {@code view} in the lake, in key order. */
  List<LakeLayout.PartialFile> list(String view) throws IOException {
    List<LakeLayout.PartialFile> partials = new ArrayList<>();
    for (String key : storage.list(LakeLayout.partialFolder(view))) {
      LakeLayout.parsePartialFile(key).ifPresent(partials::add);
    }
    return partials;
  }

  /** Publishes {@code groups} of {@code view} as the partial folded from {@code hour}. */
  LakeLayout.PartialFile write(
      ViewFolder view, PartitionHour hour, Map<GroupKey, Aggregate> groups, long rows)
      throws IOException {
    LakeLayout.PartialFile partial = hour.partial(view.name(), rows, fingerprint(view));
    Path staged = HourFolder.write(storage.stagingDir(), view, groups);
    storage.publish(staged, partial.key());
    return partial;
  }

  /**
   * The groups of a partial, in key order.
   *
   * @throws java.nio.file.NoSuchFileException when it is gone (removed by the compactor)
   */
  Map<GroupKey, Aggregate> read(ViewFolder view, LakeLayout.PartialFile partial)
      throws IOException {
    AggregateCodec codec = view.codec();
    Map<GroupKey, Aggregate> groups = new TreeMap<>();
    try (LakeStorage.LocalCopy copy = storage.localCopy(partial.key())) {
      ParquetFiles.read(copy.path(), row -> groups.put(codec.keyOf(row), codec.fromAvro(row)));
    }
    return groups;
  }

  /** Removes a partial; no error when it is gone already. */
  void delete(LakeLayout.PartialFile partial) throws IOException {
    storage.delete(partial.key());
  }

  /**
   * {@code groups} as {@link #read} gives them back once written: every aggregate encoded and
   * decoded with the view's codec (sketch states re-read from their bytes), in key order.
   */
  static Map<GroupKey, Aggregate> canonical(ViewFolder view, Map<GroupKey, Aggregate> groups) {
    AggregateCodec codec = view.codec();
    Map<GroupKey, Aggregate> out = new TreeMap<>();
    groups.forEach((key, aggregate) -> out.put(key, codec.fromAvro(codec.toAvro(key, aggregate))));
    return out;
  }
}
