package io.oxbow.batch.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ManifestStore;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.batch.landing.PartitionManifest;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.lake.ViewManifest;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.visit.VisitRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch layer's visits: final hours only, visits across hours, late rows joining visits. */
class VisitCompactorTest {
  private static final String TOPIC = "access-logs.enriched";
  private static final DatasetSpec LOGS = DatasetSpec.of(TOPIC, "event_time");
  private static final long H10 = Instant.parse("2015-05-17T10:00:00Z").toEpochMilli();
  private static final long HOUR = LandedFile.HOUR_MS;
  private static final long MIN = 60_000L;
  private static final Schema ROW =
      SchemaBuilder.record("AccessLogEvent")
          .fields()
          .requiredString("client")
          .name("event_time")
          .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
          .noDefault()
          .requiredBoolean("request_valid")
          .optionalString("method")
          .optionalString("path")
          .requiredInt("status")
          .optionalString("referrer")
          .optionalString("user_agent")
          .optionalString("country")
          .requiredBoolean("is_bot")
          .endRecord();

  @TempDir Path root;
  private long nextOffset;

  @Test
  void shouldPublishFinalHoursOnlyCountVisitsByStartAndRefoldWhenALateRowJoinsTwo()
      throws Exception {
    LocalLakeStorage lake = new LocalLakeStorage(root);
    // a: 10:50 and 11:10, one visit of hour 10 crossing into 11; b: 10:05 and 10:45, two visits
    // (40 min apart); c: 11:45, still open at 12:00
    land(lake, H10, row("a", H10 + 50 * MIN), row("b", H10 + 5 * MIN), row("b", H10 + 45 * MIN));
    land(lake, H10 + HOUR, row("a", H10 + 70 * MIN), row("c", H10 + 105 * MIN));
    VisitCompactor visits =
        VisitCompactor.of(lake, List.of(LOGS), ViewCatalog.defaults(), VisitRules.DEFAULTS)
            .orElseThrow();

    visits.runOnce(H10 + 2 * HOUR);

    assertThat(watermark(lake)).as("c started in hour 11 and is open").isEqualTo(H10 + HOUR);
    assertThat(visitsPerHour(lake)).containsExactly(Map.entry(H10, 3L));
    assertThat(hour(lake, H10).rows()).as("page views").isEqualTo(4);

    // late: b at 10:25 joins b's two visits into one
    land(lake, H10, row("b", H10 + 25 * MIN));
    visits.runOnce(H10 + 3 * HOUR);

    assertThat(watermark(lake)).isEqualTo(H10 + 3 * HOUR);
    assertThat(visitsPerHour(lake)).containsExactly(Map.entry(H10, 2L), Map.entry(H10 + HOUR, 1L));
    assertThat(hour(lake, H10).version()).isEqualTo(2);
    assertThat(hour(lake, H10).rows()).isEqualTo(5);

    // nothing changed: nothing is published again; a recompute gives the same visits
    assertThat(visits.runOnce(H10 + 3 * HOUR)).isZero();
    Map<Long, Long> before = visitsPerHour(lake);
    assertThat(visits.recompute(H10, H10 + 3 * HOUR)).isEqualTo(2);
    assertThat(visitsPerHour(lake)).isEqualTo(before);
    assertThat(hour(lake, H10).version()).isEqualTo(3);
  }

  private GenericRecord row(String visitor, long time) {
    GenericRecord r = new GenericData.Record(ROW);
    r.put("client", "81.2.69." + (visitor.charAt(0) - 'a' + 1));
    r.put("event_time", time);
    r.put("request_valid", true);
    r.put("method", "GET");
    r.put("path", "/" + visitor + "/" + time);
    r.put("status", 200);
    r.put("user_agent", "Firefox");
    r.put("is_bot", false);
    return r;
  }

  /** Lands {@code rows} as one file of partition 0 in {@code hour} and commits it. */
  private void land(LocalLakeStorage lake, long hour, GenericRecord... rows) throws Exception {
    LandedFile file =
        new LandedFile(LOGS.dataset(), TOPIC, 0, nextOffset, nextOffset + rows.length - 1, hour);
    Path staged = Files.createTempFile(lake.stagingDir(), "t", ".parquet");
    try (ParquetWriter<GenericRecord> w = ParquetFiles.writer(staged, ROW)) {
      for (GenericRecord r : rows) {
        w.write(r);
      }
    }
    lake.publish(staged, file.key());
    nextOffset += rows.length;
    new ManifestStore(lake)
        .write(LOGS.dataset(), new PartitionManifest(TOPIC, 0, nextOffset, hour, 0L, true, 0L));
  }

  private static long watermark(LocalLakeStorage lake) throws Exception {
    return new BatchViewReader(lake).watermark("visits").orElseThrow();
  }

  private static ViewManifest.HourVersion hour(LocalLakeStorage lake, long hour) throws Exception {
    return new ViewManifestStore(lake).read().view("visits", LOGS.dataset()).hours().get(hour);
  }

  private static Map<Long, Long> visitsPerHour(LocalLakeStorage lake) throws Exception {
    Map<GroupKey, Aggregate> groups =
        new BatchViewReader(lake)
            .read(ViewCatalog.defaults().folder("visits"), H10 - HOUR, H10 + 5 * HOUR);
    Map<Long, Long> out = new TreeMap<>();
    groups.forEach((k, a) -> out.merge(k.windowStart() / HOUR * HOUR, a.records(), Long::sum));
    return out;
  }
}
