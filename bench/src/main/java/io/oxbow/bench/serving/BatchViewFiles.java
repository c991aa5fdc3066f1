package io.oxbow.bench.serving;

import io.oxbow.contracts.avro.ViewAggregate;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.ViewManifestStore;
import io.oxbow.views.Aggregate;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes a batch view for the serving benchmarks as the batch loader lays it out: the groups whose
 * window starts below the watermark, one Parquet file of {@code ViewAggregate} rows per hour,
 * published with the view's manifests through the lake module ({@link
 * ViewManifestStore#publishHours}) into any {@link LakeStorage} (local or S3).
 */
final class BatchViewFiles {
  private BatchViewFiles() {}

  /** Publishes {@code groups} below {@code watermark} as {@code view}'s batch view. */
  static void publish(
      LakeStorage storage, ViewFolder view, Map<GroupKey, Aggregate> groups, Instant watermark)
      throws IOException {
    Map<Long, List<Map.Entry<GroupKey, Aggregate>>> byHour =
        new TreeMap<>(
            groups.entrySet().stream()
                .filter(e -> e.getKey().windowStart() < watermark.toEpochMilli())
                .collect(Collectors.groupingBy(e -> LakeLayout.hourOf(e.getKey().windowStart()))));
    Map<Long, Path> staged = new TreeMap<>();
    for (Map.Entry<Long, List<Map.Entry<GroupKey, Aggregate>>> hour : byHour.entrySet()) {
      Path file = Files.createTempFile(storage.stagingDir(), "view-", ".parquet");
      try (ParquetWriter<GenericRecord> writer =
          AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
              .withConf(new PlainParquetConfiguration())
              .withSchema(ViewAggregate.getClassSchema())
              .withDataModel(GenericData.get())
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .build()) {
        for (Map.Entry<GroupKey, Aggregate> group : hour.getValue()) {
          writer.write(generic(view.codec().toAvro(group.getKey(), group.getValue())));
        }
      }
      staged.put(hour.getKey(), file);
    }
    new ViewManifestStore(storage)
        .publishHours(
            view.name(), view.definition().source().id(), staged, watermark.toEpochMilli());
  }

  /** The same row as a generic record (what the Parquet writer's generic model expects). */
  private static GenericRecord generic(ViewAggregate row) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    new GenericDatumWriter<ViewAggregate>(row.getSchema(), model).write(row, encoder);
    encoder.flush();
    return new GenericDatumReader<GenericRecord>(row.getSchema())
        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
  }
}
