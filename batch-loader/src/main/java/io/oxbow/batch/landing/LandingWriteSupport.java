package io.oxbow.batch.landing;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes {@link LandingRow}s of one writer schema to a landed Parquet file: decoded rows through
 * parquet-avro's own write support (the general path), encoded rows through their {@link
 * BinaryPlan}. The file's schema and footer are parquet-avro's (the Avro schema under {@code
 * parquet.avro.schema}, model {@code avro}), so readers cannot tell the two paths apart.
 */
final class LandingWriteSupport extends WriteSupport<LandingRow> {
  private final AvroWriteSupport<GenericRecord> general;
  private RecordConsumer consumer;

  private LandingWriteSupport(ParquetConfiguration conf, Schema schema) {
    this.general =
        new AvroWriteSupport<>(
            new AvroSchemaConverter(conf).convert(schema), schema, GenericData.get());
  }

  /** A writer of {@code schema} rows to the local file {@code path} (overwritten). */
  static ParquetWriter<LandingRow> writer(Path path, Schema schema) throws IOException {
    return ParquetFiles.configured(new Builder(new LocalOutputFile(path), schema)).build();
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return general.init(configuration);
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return general.init(configuration);
  }

  @Override
  public String getName() {
    return general.getName();
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
    general.prepareForWrite(recordConsumer);
  }

  @Override
  public void write(LandingRow row) {
    if (row instanceof LandingRow.Encoded encoded) {
      encoded.plan().write(consumer, encoded.data(), encoded.offset());
    } else {
      general.write(((LandingRow.Decoded) row).record());
    }
  }

  @Override
  public FinalizedWriteContext finalizeWrite() {
    return general.finalizeWrite();
  }

  private static final class Builder extends ParquetWriter.Builder<LandingRow, Builder> {
    private final Schema schema;

    Builder(OutputFile file, Schema schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<LandingRow> getWriteSupport(Configuration conf) {
      return new LandingWriteSupport(new HadoopParquetConfiguration(conf), schema);
    }

    @Override
    protected WriteSupport<LandingRow> getWriteSupport(ParquetConfiguration conf) {
      return new LandingWriteSupport(conf, schema);
    }
  }
}
