package io.oxbow.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.contracts.avro.ViewKey;
import io.oxbow.contracts.avro.ViewMetric;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Keys and aggregates to their Avro rows and state-store bytes and back. */
class AggregateCodecTest {
  private final ViewFolder traffic = ViewCatalog.defaults().folder("traffic");
  private final AggregateCodec codec = traffic.codec();
  private final Map<GroupKey, Aggregate> groups =
      traffic.fold(SampleData.elasticEvents().subList(0, 1500));

  @Test
  void shouldRoundTripEveryGroupThroughGenericAvroRows() {
    for (Map.Entry<GroupKey, Aggregate> group : groups.entrySet()) {
      ViewAggregate row = codec.toAvro(group.getKey(), group.getValue());
      GenericRecord generic = SampleData.toGeneric(row);

      assertThat(codec.keyOf(generic)).isEqualTo(group.getKey());
      assertThat(codec.keyOf(codec.toAvroKey(group.getKey()))).isEqualTo(group.getKey());
      Aggregate decoded = codec.fromAvro(generic);
      assertThat(decoded.records()).isEqualTo(group.getValue().records());
      assertThat(traffic.readOut(decoded)).isEqualTo(traffic.readOut(group.getValue()));
    }
    assertThat(groups).hasSizeGreaterThan(50);
  }

  @Test
  void shouldWriteTheSameAvroRowFromStateStoreBytesAsFromTheAggregate() {
    for (Map.Entry<GroupKey, Aggregate> group : groups.entrySet()) {
      byte[] stored = codec.toBytes(group.getValue());

      assertThat(codec.toAvro(group.getKey(), stored))
          .isEqualTo(codec.toAvro(group.getKey(), group.getValue()));
    }
    ViewFolder pages = ViewCatalog.defaults().folder("pages");
    Map.Entry<GroupKey, Aggregate> first = groups.entrySet().iterator().next();
    assertThatThrownBy(() -> pages.codec().toAvro(first.getKey(), codec.toBytes(first.getValue())))
        .isInstanceOf(ViewDefinitionException.class);
  }

  @Test
  void shouldRoundTripThroughStateStoreBytes() {
    for (Aggregate aggregate : groups.values()) {
      Aggregate decoded = codec.fromBytes(codec.toBytes(aggregate));

      assertThat(decoded.records()).isEqualTo(aggregate.records());
      assertThat(traffic.readOut(decoded)).isEqualTo(traffic.readOut(aggregate));
      assertThat(decoded.state("bytes").toBytes()).isEqualTo(aggregate.state("bytes").toBytes());
    }
  }

  @Test
  void shouldWriteKeysWithDimensionsInDefinitionOrder() {
    GroupKey key = new GroupKey(60_000, 120_000, Arrays.asList("DE", "2xx", null));

    ViewKey avro = codec.toAvroKey(key);

    assertThat(avro.getView()).isEqualTo("traffic");
    assertThat(avro.getWindowEnd().toEpochMilli()).isEqualTo(120_000);
    assertThat(avro.getDims())
        .extracting(d -> d.getName() + "=" + d.getValue())
        .containsExactly("country=DE", "status_class=2xx", "is_bot=null");
    assertThat(traffic.dimensions(key)).containsEntry("is_bot", null).hasSize(3);
  }

  @Test
  void shouldRefuseRowsOfAnotherDefinition() {
    Map.Entry<GroupKey, Aggregate> group = groups.entrySet().iterator().next();
    ViewAggregate row = codec.toAvro(group.getKey(), group.getValue());

    ViewAggregate otherView = ViewAggregate.newBuilder(row).setView("pages").build();
    assertThatThrownBy(() -> codec.fromAvro(otherView))
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageContaining("view 'traffic': record is of view 'pages'");

    List<ViewMetric> renamed = new ArrayList<>(row.getMetrics());
    renamed.set(1, ViewMetric.newBuilder(renamed.get(1)).setType("max").build());
    assertThatThrownBy(
            () -> codec.fromAvro(ViewAggregate.newBuilder(row).setMetrics(renamed).build()))
        .hasMessageContaining("metric #2 is 'bytes' of type max");

    List<ViewMetric> corrupt = new ArrayList<>(row.getMetrics());
    corrupt.set(
        2, ViewMetric.newBuilder(corrupt.get(2)).setState(ByteBuffer.wrap(new byte[] {9})).build());
    assertThatThrownBy(
            () -> codec.fromAvro(ViewAggregate.newBuilder(row).setMetrics(corrupt).build()))
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageContaining("metric 'visitors': cannot decode its distinct state");

    ViewFolder pages = ViewCatalog.defaults().folder("pages");
    assertThatThrownBy(() -> pages.codec().fromBytes(codec.toBytes(group.getValue())))
        .hasMessageContaining("view 'pages': stored aggregate has 5 metrics");
    assertThatThrownBy(() -> pages.merge(pages.identity(), group.getValue()))
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageContaining("aggregate of view 'traffic' has other metrics");
  }
}
