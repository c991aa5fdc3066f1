package io.oxbow.batch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.batch.landing.DatasetReader;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.batch.landing.LandedFile;
import io.oxbow.batch.landing.ParquetFiles;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.LocalLakeStorage;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A producer adds an optional field (BACKWARD compatible): new files get the column. */
@ExtendWith(KafkaBackendExtension.class)
class SchemaEvolutionIT {
  private static final Schema V1 =
      SchemaBuilder.record("Hit")
          .namespace("io.oxbow.test")
          .fields()
          .requiredString("id")
          .requiredLong("event_time")
          .endRecord();
  private static final Schema V2 =
      SchemaBuilder.record("Hit")
          .namespace("io.oxbow.test")
          .fields()
          .requiredString("id")
          .requiredLong("event_time")
          .optionalString("note")
          .endRecord();
  private static final long T0 = 1_431_856_800_000L; // 2015-05-17T10:00:00Z

  @TempDir Path lake;

  @Test
  void shouldLandANewOptionalFieldAsANewColumnReadableWithTheOldFiles(KafkaBackend kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String topic = "hits-evolution-it";
    String registry = "mock://evolution-it";
    DatasetSpec spec = DatasetSpec.of(topic, "event_time");
    Topics.create(bootstrap, topic, 1);
    Topics.produce(bootstrap, registry, topic, records(V1, 0, 40), v -> "k");
    Topics.produce(bootstrap, registry, topic, records(V2, 40, 60), v -> "k");
    LakeStorage storage = new LocalLakeStorage(lake);
    try (LandingRun run =
        new LandingRun(bootstrap, registry, "evolution-it", storage, spec, 1000)) {
      LandingRun.awaitLanded(storage, spec, bootstrap, 1);
    }

    List<String> files =
        storage.list(spec.dataset()).stream().filter(k -> LandedFile.parse(k).isPresent()).toList();
    assertThat(files).hasSize(2);
    assertThat(fieldsOf(storage, files.get(0))).containsExactly("id", "event_time");
    assertThat(fieldsOf(storage, files.get(1))).containsExactly("id", "event_time", "note");

    String glob = LakeChecks.glob(lake, spec.dataset());
    assertThat(
            LakeChecks.duckLong(
                "select count(*) from read_parquet('" + glob + "', union_by_name=true)"))
        .isEqualTo(100);
    assertThat(
            LakeChecks.duckLong(
                "select count(note) from read_parquet('" + glob + "', union_by_name=true)"))
        .isEqualTo(60);

    List<GenericRecord> rows =
        new DatasetReader(storage).readAll(spec.dataset(), 0, Long.MAX_VALUE);
    assertThat(rows).hasSize(100);
    assertThat(rows).allSatisfy(r -> assertThat(r.getSchema()).isEqualTo(V2));
    assertThat(rows.stream().filter(r -> r.get("note") == null).count()).isEqualTo(40);
    assertThat(rows.get(99).get("note").toString()).isEqualTo("note 99");
  }

  private static List<String> fieldsOf(LakeStorage storage, String key) throws Exception {
    try (LakeStorage.LocalCopy copy = storage.localCopy(key)) {
      return ParquetFiles.readAll(copy.path()).get(0).getSchema().getFields().stream()
          .map(Schema.Field::name)
          .toList();
    }
  }

  private static List<GenericRecord> records(Schema schema, int from, int count) {
    List<GenericRecord> records = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      GenericRecord r = new GenericData.Record(schema);
      r.put("id", "hit-" + i);
      r.put("event_time", T0 + i * 1000L);
      if (schema.getField("note") != null) {
        r.put("note", "note " + i);
      }
      records.add(r);
    }
    return records;
  }
}
