package io.oxbow.batch.landing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The landing state of one topic partition: the open file, the finished files not yet published,
 * and what the manifest will say once they are. Applies the {@link RollPolicy}; does no Kafka or
 * storage I/O of its own, so its file boundaries depend only on the records it is given (and the
 * wall-clock idle roll).
 */
final class PartitionLander {
  /** The encoded size is checked every this many rows (still deterministic: a row count). */
  static final int SIZE_CHECK_ROWS = 64;

  private final DatasetSpec spec;
  private final int partition;
  private final RollPolicy policy;
  private final Path staging;
  private PartitionManifest committed;
  private long nextStart;
  private long pendingMaxEventTime;
  private OpenFile open;
  private final List<OpenFile.Finished> ready = new ArrayList<>();
  private boolean caughtUp;
  private long lastRecordAt;
  private boolean dirty;

  /**
   * @param committed the recovered manifest; its {@code nextOffset} is where the next file starts
   *     ({@code -1}: at the first record seen)
   */
  PartitionLander(
      DatasetSpec spec,
      int partition,
      RollPolicy policy,
      Path staging,
      PartitionManifest committed) {
    this.spec = spec;
    this.partition = partition;
    this.policy = policy;
    this.staging = staging;
    this.committed = committed;
    this.nextStart = committed.nextOffset();
    this.pendingMaxEventTime = committed.maxEventTime();
    this.caughtUp = committed.caughtUp();
    this.lastRecordAt = committed.lastRecordAt();
  }

  /** Adds one record; may finish the open file before or after it. */
  void add(LandingRow value, long offset, long timestamp, long eventTime, long now)
      throws IOException {
    noteRecord(offset, now);
    long hour = LandedFile.hourOf(eventTime);
    if (open != null
        && (open.hourStart() != hour
            || !open.schema().equals(value.schema())
            || timestamp - open.firstTimestamp() >= policy.rotateInterval().toMillis())) {
      finishOpen();
    }
    if (open == null) {
      Path file = Files.createTempFile(staging, spec.dataset() + "-" + partition + "-", ".parquet");
      open = new OpenFile(file, value.schema(), nextStart, hour, timestamp, now);
    }
    open.append(value, offset, eventTime);
    // the encoded size sums every column's buffers: asking it per row cost a few percent of landing
    if (open.rows() >= policy.maxRows()
        || (open.rows() % SIZE_CHECK_ROWS == 0 && open.dataSize() >= policy.maxBytes())) {
      finishOpen();
    }
  }

  /** Notes a record that was rejected (sent to the dead-letter topic) rather than landed. */
  void skip(long offset, long now) {
    noteRecord(offset, now);
  }

  private void noteRecord(long offset, long now) {
    if (nextStart < 0) {
      nextStart = offset;
    }
    lastRecordAt = now;
    if (caughtUp) {
      caughtUp = false;
      dirty = true;
    }
  }

  /** Finishes the open file when it has been open for the rotate interval by the wall clock. */
  void rollIfIdle(long now) throws IOException {
    if (open != null && now - open.openedAt() >= policy.rotateInterval().toMillis()) {
      finishOpen();
    }
  }

  /**
   * Records whether the consumer has read to the partition's end; a change is committed.
   *
   * @param position the consumer's position, which becomes the start of a partition that never had
   *     a record
   */
  void caughtUp(boolean atEnd, long position) {
    if (atEnd && nextStart < 0) {
      nextStart = position;
    }
    boolean value = atEnd && open == null && ready.isEmpty();
    if (value != caughtUp) {
      caughtUp = value;
      dirty = true;
    }
  }

  private void finishOpen() throws IOException {
    OpenFile.Finished finished = open.finish(spec, partition);
    open = null;
    ready.add(finished);
    nextStart = finished.file().lastOffset() + 1;
    pendingMaxEventTime = Math.max(pendingMaxEventTime, finished.maxEventTime());
  }

  /** True when there are finished files or a state change to commit. */
  boolean hasCommit() {
    return dirty || !ready.isEmpty();
  }

  /** The finished files to publish, oldest first. */
  List<OpenFile.Finished> ready() {
    return List.copyOf(ready);
  }

  /** The offset the next commit records (Kafka's committed offset too). */
  long commitOffset() {
    if (!ready.isEmpty()) {
      return nextStartAfterReady();
    }
    return committed.nextOffset() >= 0 || open != null ? committed.nextOffset() : nextStart;
  }

  private long nextStartAfterReady() {
    return ready.get(ready.size() - 1).file().lastOffset() + 1;
  }

  /** The manifest to write once the ready files are published. */
  PartitionManifest nextManifest(long now) {
    return new PartitionManifest(
        spec.topic(),
        partition,
        commitOffset(),
        ready.isEmpty() ? committed.maxEventTime() : pendingMaxEventTime,
        lastRecordAt,
        caughtUp,
        now);
  }

  /** Marks the ready files published and {@code manifest} committed. */
  void committed(PartitionManifest manifest) {
    committed = manifest;
    ready.clear();
    dirty = false;
  }

  /** Rows in the open and ready files (not yet committed). */
  long pendingRows() {
    return ready.stream().mapToLong(OpenFile.Finished::rows).sum()
        + (open == null ? 0 : open.rows());
  }

  /** Drops everything not committed (rebalance, failure); the next owner replays it. */
  void abort() {
    if (open != null) {
      open.abort();
      open = null;
    }
    for (OpenFile.Finished f : ready) {
      try {
        Files.deleteIfExists(f.staged());
      } catch (IOException e) {
        // staging is never read; a leftover is harmless
      }
    }
    ready.clear();
  }

  DatasetSpec spec() {
    return spec;
  }

  int partition() {
    return partition;
  }
}
