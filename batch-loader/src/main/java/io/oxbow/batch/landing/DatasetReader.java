package io.oxbow.batch.landing;

import io.oxbow.lake.LakeStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Reads a landed dataset back as Avro records, across schema versions: every row comes out in the
 * schema of the newest file (latest hour, then highest offset), and rows of older files are
 * resolved into it by Avro's schema resolution, so a field added later reads as its default (null
 * for an optional field). That is exactly what BACKWARD compatibility, the registry's default,
 * guarantees to work. Files that another file covers (a compaction caught half-way) are skipped.
 */
public final class DatasetReader {
  private final LakeStorage storage;

  /** A reader of the lake in {@code storage}. */
  public DatasetReader(LakeStorage storage) {
    this.storage = storage;
  }

  /**
   * Hands every row of {@code dataset} whose event hour starts in {@code [fromMillis, toMillis)} to
   * {@code sink}, file by file (by hour, partition, offset).
   *
   * @return the schema rows are given in, or null when there is no row
   */
  public Schema read(String dataset, long fromMillis, long toMillis, Consumer<GenericRecord> sink)
      throws IOException {
    List<LandedFile> files = new ArrayList<>();
    for (String key : storage.list(dataset)) {
      LandedFile.parse(key)
          .filter(f -> f.hourStart() >= LandedFile.hourOf(fromMillis) && f.hourStart() < toMillis)
          .ifPresent(files::add);
    }
    List<LandedFile> live =
        files.stream()
            .filter(f -> files.stream().noneMatch(o -> !o.equals(f) && o.covers(f)))
            .sorted(
                Comparator.comparingLong(LandedFile::hourStart)
                    .thenComparingInt(LandedFile::partition)
                    .thenComparingLong(LandedFile::firstOffset))
            .toList();
    if (live.isEmpty()) {
      return null;
    }
    LandedFile newest =
        live.stream()
            .max(
                Comparator.comparingLong(LandedFile::hourStart)
                    .thenComparingLong(LandedFile::lastOffset))
            .orElseThrow();
    Schema reader = schemaOf(newest);
    for (LandedFile file : live) {
      try (LakeStorage.LocalCopy copy = storage.localCopy(file.key())) {
        ParquetFiles.read(copy.path(), row -> sink.accept(resolve(row, reader)));
      }
    }
    return reader;
  }

  /** Every row of {@code dataset} with event hours in {@code [fromMillis, toMillis)}. */
  public List<GenericRecord> readAll(String dataset, long fromMillis, long toMillis)
      throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    read(dataset, fromMillis, toMillis, rows::add);
    return rows;
  }

  private Schema schemaOf(LandedFile file) throws IOException {
    try (LakeStorage.LocalCopy copy = storage.localCopy(file.key())) {
      List<GenericRecord> rows = ParquetFiles.readAll(copy.path());
      return rows.get(0).getSchema();
    }
  }

  private static GenericRecord resolve(GenericRecord row, Schema reader) {
    if (row.getSchema().equals(reader)) {
      return row;
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
      new GenericDatumWriter<GenericRecord>(row.getSchema()).write(row, encoder);
      encoder.flush();
      return new GenericDatumReader<GenericRecord>(row.getSchema(), reader)
          .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "a row of schema " + row.getSchema().getFullName() + " does not resolve: " + e, e);
    }
  }
}
