package io.oxbow.serving.lake;

import io.oxbow.views.Aggregate;
import io.oxbow.views.AggregateCodec;
import io.oxbow.views.GroupKey;
import io.oxbow.views.ViewFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** Decodes one local Parquet file of {@code ViewAggregate} rows into a view's groups. */
final class ViewFileDecoder {
  private ViewFileDecoder() {}

  /**
   * The groups of {@code file} (rows of one key merged with the view's monoid) and the heap they
   * take, estimated ({@link FileCache#estimatedBytes}).
   */
  static FileCache.Entry decode(Path file, ViewFolder view, AggregateCodec codec)
      throws IOException {
    Map<GroupKey, Aggregate> groups = new HashMap<>();
    long bytes = 0;
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file), conf)
            .withDataModel(GenericData.get())
            .build()) {
      GenericRecord row;
      while ((row = reader.read()) != null) {
        groups.merge(codec.keyOf(row), codec.fromAvro(row), view::merge);
        bytes += FileCache.estimatedBytes(row);
      }
    }
    return new FileCache.Entry(Map.copyOf(groups), bytes);
  }
}
