package io.oxbow.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.registry.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The compact page-view record of the attribution store and its projection of enriched events. */
class PageViewTest {
  private static final String TOPIC = "access-logs.enriched";
  private final String registry = "mock://" + UUID.randomUUID();
  private final AvroSerde<AccessLogEvent> events =
      AvroSerde.specific(Map.of("schema.registry.url", registry), false);
  private final Serde<PageView> projection = PageViewProjection.serde(registry);

  @Test
  void shouldRoundTripEveryFieldIncludingNullsAndNonAscii() {
    Serde<PageView> serde = PageView.serde();
    for (PageView view :
        new PageView[] {
          new PageView(1_431_856_800_000L, "/produits/café", "https://www.example.org/", "FR"),
          new PageView(0L, "/", null, null),
          new PageView(-1L, null, "", "unknown")
        }) {
      byte[] bytes = serde.serializer().serialize("changelog", view);
      assertThat(serde.deserializer().deserialize("changelog", bytes)).isEqualTo(view);
    }
  }

  @Test
  void shouldCutAPathTooLongForTheLayoutToAPrefix() {
    String longPath = "/" + "é".repeat(40_000);
    byte[] bytes = PageView.encode(new PageView(5L, longPath, null, "DE"));
    PageView back = PageView.decode("changelog", bytes);
    assertThat(longPath).startsWith(back.path());
    assertThat(back.path().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(65_535);
    assertThat(back.country()).isEqualTo("DE");
  }

  @Test
  void shouldRefuseAnotherLayoutVersionNamingTheTopic() {
    byte[] bytes = PageView.encode(new PageView(5L, "/", null, null));
    bytes[0] = 9;
    assertThatThrownBy(() -> PageView.decode("app-attribution-pageviews-changelog", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("app-attribution-pageviews-changelog")
        .hasMessageContaining("version 9");
  }

  @Test
  void shouldReadAPageViewOutOfAnEnrichedEvent() {
    AccessLogEvent event =
        enriched("GET /products/42?ref=mail HTTP/1.1", 200, "https://www.example.org/x", false);

    PageView view = readBack(event);

    assertThat(view)
        .isEqualTo(
            new PageView(
                event.getEventTime().toEpochMilli(),
                "/products/42",
                "https://www.example.org/x",
                "RU"));
  }

  @Test
  void shouldReadEventsThatAreNotPageViewsAsNull() {
    assertThat(readBack(enriched("GET /style.css HTTP/1.1", 200, null, false))).isNull();
    assertThat(readBack(enriched("GET /products/42 HTTP/1.1", 200, null, true))).isNull();
    assertThat(readBack(enriched("POST /cart HTTP/1.1", 200, null, false))).isNull();
    assertThat(readBack(enriched("GET /missing HTTP/1.1", 404, null, false))).isNull();
    assertThat(readBack(enriched("GET /moved HTTP/1.1", 301, null, false))).isNotNull();
  }

  @Test
  void shouldReadEventsWrittenWithANewerSchemaThatHasMoreFields() {
    Schema full = AccessLogEvent.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    full.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    fields.add(
        new Schema.Field(
            "session_id",
            Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
            "added by a later version",
            Schema.Field.NULL_DEFAULT_VALUE));
    Schema newer =
        Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
    AccessLogEvent event = enriched("GET /products/42 HTTP/1.1", 200, null, false);
    GenericRecord record = new GenericData.Record(newer);
    full.getFields().forEach(f -> record.put(f.name(), event.get(f.pos())));
    record.put("session_id", "s-1");
    AvroSerde<GenericRecord> generic =
        AvroSerde.configured(Map.of("schema.registry.url", registry), false);

    byte[] bytes = generic.serializer().serialize(TOPIC, record);

    assertThat(projection.deserializer().deserialize(TOPIC, bytes))
        .isEqualTo(new PageView(event.getEventTime().toEpochMilli(), "/products/42", null, "RU"));
  }

  @Test
  void shouldFailOnBytesThatAreNotAnEnrichedEventNamingTheTopic() {
    assertThatThrownBy(
            () -> projection.deserializer().deserialize(TOPIC, new byte[] {1, 2, 3, 4, 5, 6}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(TOPIC);
  }

  private PageView readBack(AccessLogEvent event) {
    byte[] bytes = events.serializer().serialize(TOPIC, event);
    return projection.deserializer().deserialize(TOPIC, bytes);
  }

  private static AccessLogEvent enriched(String request, int status, String referrer, boolean bot) {
    String line =
        "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \""
            + request
            + "\" "
            + status
            + " 203023 \""
            + (referrer == null ? "-" : referrer)
            + "\" \"Mozilla/5.0\"";
    ParseResult result =
        AccessLogParser.forFormat(LogFormat.AUTO)
            .parse(line.getBytes(StandardCharsets.UTF_8), "test");
    AccessLogEvent event = ((ParseResult.Parsed) result).event();
    return AccessLogEvent.newBuilder(event)
        .setCountry("RU")
        .setUaBrowser("Firefox")
        .setUaOs("Windows")
        .setUaDevice(bot ? "Robot" : "Desktop")
        .setIsBot(bot)
        .build();
  }
}
