package io.oxbow.batch.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewCatalog;
import io.oxbow.views.ViewFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folding landed rows into a view, writing its Parquet and reading it back, without a broker. */
class BatchViewReaderTest {
  private static final long H = LandedFile.HOUR_MS;
  private static final long DAY = 24 * H;
  private static final ViewCatalog CATALOG = ViewCatalog.defaults();

  @TempDir Path root;

  private static GenericRecord hit(long time, String path, int status) {
    return new GenericRecordBuilder(AccessLogEvent.getClassSchema())
        .set("client", "10.0.0." + (time % 7))
        .set("event_time", time)
        .set("path", path)
        .set("status", status)
        .set("bytes", 100L)
        .set("line_bytes", 80)
        .set("country", "DE")
        .build();
  }

  private static void land(LocalLakeStorage lake, long hour, long first, List<GenericRecord> rows)
      throws Exception {
    LandedFile file = new LandedFile("logs", "logs", 0, first, first + rows.size() - 1, hour);
    Path staged = Files.createTempFile(lake.stagingDir(), "t", ".parquet");
    try (ParquetWriter<GenericRecord> w =
        ParquetFiles.writer(staged, AccessLogEvent.getClassSchema())) {
      for (GenericRecord r : rows) {
        w.write(r);
      }
    }
    lake.publish(staged, file.key());
  }

  @Test
  void shouldServeTheFoldOfEveryClosedHourAndTheWatermark() throws Exception {
    LocalLakeStorage lake = new LocalLakeStorage(root);
    List<GenericRecord> hour10 = new ArrayList<>();
    List<GenericRecord> hour11 = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      hour10.add(hit(DAY + 10 * H + i * 60_000L, "/p" + (i % 3), i % 5 == 0 ? 500 : 200));
      hour11.add(hit(DAY + 11 * H + i * 60_000L, "/p" + (i % 4), 200));
    }
    land(lake, DAY + 10 * H, 0, hour10);
    land(lake, DAY + 11 * H, 30, hour11);
    lake.putAtomic(
        "logs/_manifest/logs+0.json",
        ("{\"topic\":\"logs\",\"partition\":0,\"nextOffset\":60,\"maxEventTime\":"
                + (DAY + 13 * H)
                + ",\"lastRecordAt\":0,\"caughtUp\":false,\"updatedAt\":0}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    BatchCompactor compactor =
        new BatchCompactor(
            lake,
            List.of(
                io.oxbow.batch.landing.DatasetSpec.of("logs", "event_time")
                    .feeding("access-logs.enriched")),
            CATALOG,
            new WatermarkPolicy(java.time.Duration.ofMinutes(10), java.time.Duration.ofMinutes(5)),
            topic -> io.oxbow.batch.upstream.TopicInputs.withoutUpstream(1));

    compactor.runOnce(0);

    BatchViewReader reader = new BatchViewReader(lake);
    // the partition is at 13:00, so hours before 12:00 are closed
    assertThat(reader.watermark("pages")).hasValue(DAY + 12 * H);
    List<GenericRecord> all = new ArrayList<>(hour10);
    all.addAll(hour11);
    for (String name : List.of("pages", "traffic", "errors")) {
      ViewFolder view = CATALOG.folder(name);
      Map<GroupKey, Aggregate> batch = reader.read(view, DAY, DAY + 12 * H);
      Map<GroupKey, Aggregate> direct = view.fold(all);
      assertThat(batch.keySet()).as(name).isEqualTo(direct.keySet());
      batch.forEach(
          (k, a) -> assertThat(view.readOut(a)).as(name).isEqualTo(view.readOut(direct.get(k))));
    }
    assertThat(reader.read(CATALOG.folder("pages"), DAY + 11 * H, DAY + 12 * H))
        .hasSize(4)
        .allSatisfy((k, a) -> assertThat(k.windowStart()).isEqualTo(DAY + 11 * H));
    assertThat(compactor.runOnce(0)).as("nothing new to compact").isZero();
  }

  @Test
  void shouldLeaveFilesBeyondTheCommittedOffsetsToTheLandingRecovery() throws Exception {
    LocalLakeStorage lake = new LocalLakeStorage(root);
    List<GenericRecord> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      rows.add(hit(DAY + 10 * H + i * 30_000L, "/p", 200));
    }
    land(lake, DAY + 10 * H, 0, rows.subList(0, 30));
    // published, but the crash came before its manifest commit
    land(lake, DAY + 10 * H, 30, rows.subList(30, 60));
    lake.putAtomic(
        "logs/_manifest/logs+0.json",
        ("{\"topic\":\"logs\",\"partition\":0,\"nextOffset\":30,\"maxEventTime\":"
                + (DAY + 13 * H)
                + ",\"lastRecordAt\":0,\"caughtUp\":false,\"updatedAt\":0}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    BatchCompactor compactor =
        new BatchCompactor(
            lake,
            List.of(
                io.oxbow.batch.landing.DatasetSpec.of("logs", "event_time")
                    .feeding("access-logs.enriched")),
            CATALOG,
            new WatermarkPolicy(java.time.Duration.ofMinutes(10), java.time.Duration.ofMinutes(5)),
            topic -> io.oxbow.batch.upstream.TopicInputs.withoutUpstream(1));

    compactor.runOnce(0);

    assertThat(lake.list("logs"))
        .contains(new LandedFile("logs", "logs", 0, 30, 59, DAY + 10 * H).key());
    ViewFolder pages = CATALOG.folder("pages");
    assertThat(new BatchViewReader(lake).read(pages, DAY, DAY + 12 * H).values())
        .singleElement()
        .satisfies(a -> assertThat(a.records()).isEqualTo(30));
  }
}
