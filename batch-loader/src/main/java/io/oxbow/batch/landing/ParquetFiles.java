package io.oxbow.batch.landing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes and reads the lake's Parquet files with parquet-avro: ZSTD compression, standard
 * three-level lists (what Spark, Trino and DuckDB expect), the Avro schema stored in the footer.
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  /** A writer of {@code schema} records to the local file {@code path} (overwritten). */
  public static ParquetWriter<GenericRecord> writer(Path path, Schema schema) throws IOException {
    return writer(path, schema, GenericData.get());
  }

  /**
   * A writer of {@code schema} records using {@code model} (e.g. one with logical-type conversions
   * for generated classes holding {@code Instant}s).
   */
  public static ParquetWriter<GenericRecord> writer(Path path, Schema schema, GenericData model)
      throws IOException {
    return configured(
            AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(path))
                .withSchema(schema)
                .withDataModel(model))
        .build();
  }

  /**
   * {@code builder} with the settings of every file the loader writes: {@link #configuration()},
   * ZSTD, and overwriting the (staging) file. Both landing paths use it, so their files are alike.
   */
  static <T, B extends ParquetWriter.Builder<T, B>> B configured(B builder) {
    return builder
        .withConf(configuration())
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
  }

  /** The writers' configuration: standard three-level lists. */
  static PlainParquetConfiguration configuration() {
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    conf.set("parquet.avro.write-old-list-structure", "false");
    return conf;
  }

  /** Hands every record of the local Parquet file to {@code sink}, in file order. */
  public static void read(Path path, Consumer<GenericRecord> sink) throws IOException {
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new LocalInputFile(path), conf)
            .withDataModel(GenericData.get())
            .build()) {
      GenericRecord record;
      while ((record = reader.read()) != null) {
        sink.accept(record);
      }
    }
  }

  /** Every record of the local Parquet file. */
  public static List<GenericRecord> readAll(Path path) throws IOException {
    List<GenericRecord> all = new ArrayList<>();
    read(path, all::add);
    return all;
  }
}
