package io.oxbow.batch.landing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.parquet.hadoop.ParquetWriter;

/** A Parquet file being written in the staging folder for one partition, hour and schema. */
final class OpenFile {
  private final Path staged;
  private final Schema schema;
  private final long firstOffset;
  private final long hourStart;
  private final long firstTimestamp;
  private final long openedAt;
  private final ParquetWriter<LandingRow> writer;
  private long lastOffset = -1;
  private long rows;
  private long maxEventTime = Long.MIN_VALUE;

  OpenFile(
      Path staged,
      Schema schema,
      long firstOffset,
      long hourStart,
      long firstTimestamp,
      long openedAt)
      throws IOException {
    this.staged = staged;
    this.schema = schema;
    this.firstOffset = firstOffset;
    this.hourStart = hourStart;
    this.firstTimestamp = firstTimestamp;
    this.openedAt = openedAt;
    this.writer = LandingWriteSupport.writer(staged, schema);
  }

  void append(LandingRow row, long offset, long eventTime) throws IOException {
    writer.write(row);
    lastOffset = offset;
    rows++;
    maxEventTime = Math.max(maxEventTime, eventTime);
  }

  Schema schema() {
    return schema;
  }

  long hourStart() {
    return hourStart;
  }

  long firstTimestamp() {
    return firstTimestamp;
  }

  long openedAt() {
    return openedAt;
  }

  long rows() {
    return rows;
  }

  long dataSize() {
    return writer.getDataSize();
  }

  /** Closes the writer; the file is complete in staging, named for its offsets. */
  Finished finish(DatasetSpec spec, int partition) throws IOException {
    writer.close();
    LandedFile file =
        new LandedFile(spec.dataset(), spec.topic(), partition, firstOffset, lastOffset, hourStart);
    return new Finished(file, staged, rows, maxEventTime);
  }

  /** Drops the file. */
  void abort() {
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      // the staged file is deleted below either way
    }
    try {
      Files.deleteIfExists(staged);
    } catch (IOException e) {
      // a stale staged file is harmless: staging is never read
    }
  }

  /**
   * A complete file waiting to be published.
   *
   * @param file where it goes
   * @param staged the local file
   * @param rows its row count
   * @param maxEventTime the largest event time in it
   */
  record Finished(LandedFile file, Path staged, long rows, long maxEventTime) {}
}
