package io.oxbow.views;

import io.oxbow.contracts.avro.ViewAggregate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * For every view (the defaults and two test views with small sketches), folding a shuffled slice of
 * the sample split in k random parts and merging the parts' groups in random order equals folding
 * it whole: same groups, same record counts, exact metrics byte for byte, sketches within bounds.
 * Some parts arrive as generic records (as the batch layer reads Parquet), and some merges go
 * through the Avro row form (as the serving API reads them).
 */
class ViewMergePropertiesTest {
  private static final ViewCatalog CATALOG = catalog();

  private static ViewCatalog catalog() {
    try (InputStream in = ViewMergePropertiesTest.class.getResourceAsStream("/test-views.yaml")) {
      return ViewCatalog.parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), "test-views.yaml");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<String> views() {
    return Arbitraries.of(CATALOG.names());
  }

  private static List<SpecificRecordBase> slice(Source source, Random random, int size) {
    List<? extends SpecificRecordBase> all =
        switch (source) {
          case ACCESS_LOGS -> SampleData.elasticEvents();
          case ORDERS -> SampleData.orders(7);
          case VISITS -> SampleData.visits();
        };
    int from = random.nextInt(Math.max(1, all.size() - size));
    return new ArrayList<>(all.subList(from, Math.min(all.size(), from + size)));
  }

  @Property(tries = 16)
  void foldingShuffledPartsAndMergingEqualsFoldingWhole(
      @ForAll("views") String view,
      @ForAll @IntRange(min = 1, max = 8) int parts,
      @ForAll @IntRange(min = 0, max = 2000) int size,
      @ForAll long seed) {
    Random random = new Random(seed);
    ViewFolder folder = CATALOG.folder(view);
    List<SpecificRecordBase> input = slice(folder.definition().source(), random, size);
    Map<GroupKey, Aggregate> whole = folder.fold(input);

    List<GenericRecord> shuffled = new ArrayList<>(input);
    Collections.shuffle(shuffled, random);
    List<Map<GroupKey, Aggregate>> partGroups = new ArrayList<>();
    List<List<GenericRecord>> pieces = MetricMonoidPropertiesTest.split(shuffled, parts, random);
    for (int i = 0; i < pieces.size(); i++) {
      List<GenericRecord> piece = pieces.get(i);
      partGroups.add(
          folder.fold(
              i % 2 == 0
                  ? piece
                  : piece.stream().map(r -> SampleData.toGeneric((SpecificRecord) r)).toList()));
    }
    Map<GroupKey, Aggregate> merged = ViewAssertions.mergeAll(folder, partGroups, random);
    ViewAssertions.assertGroupsAgree(folder, merged, whole, input);

    Map<GroupKey, Aggregate> viaAvro =
        ViewAssertions.mergeAll(folder, throughAvro(folder, partGroups), random);
    ViewAssertions.assertGroupsAgree(folder, viaAvro, whole, input);
    ViewAssertions.assertExactBytesEqual(folder, viaAvro, merged);
  }

  /** Each part's groups written as ViewAggregate rows and read back as generic records. */
  private static List<Map<GroupKey, Aggregate>> throughAvro(
      ViewFolder folder, List<Map<GroupKey, Aggregate>> parts) {
    AggregateCodec codec = folder.codec();
    List<Map<GroupKey, Aggregate>> decoded = new ArrayList<>();
    for (Map<GroupKey, Aggregate> part : parts) {
      Map<GroupKey, Aggregate> groups = new HashMap<>();
      part.forEach(
          (key, aggregate) -> {
            ViewAggregate row = codec.toAvro(key, aggregate);
            GenericRecord generic = SampleData.toGeneric(row);
            groups.put(codec.keyOf(generic), codec.fromAvro(generic));
          });
      decoded.add(groups);
    }
    return decoded;
  }
}
