package io.oxbow.ingest.agent;

import io.oxbow.ingest.client.IngestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one log path: sends its complete lines in batches, in order, and moves its durable
 * position only after the ingest app acknowledged a batch.
 *
 * <p>Before a batch is sent its end is saved as pending; a restart re-sends exactly that batch with
 * the same Idempotency-Key ({@code agent id, path, generation, start offset}), so the ingest app
 * writes it once whether or not the earlier attempt got through.
 *
 * <p>Rotation: when the path names a new file (rename-and-create), the old file is read to its end
 * through the open handle first; when the file shrinks or its first bytes change (copytruncate),
 * the rotated copy ({@code path.*}, also {@code .gz}) holding the unread lines is found by its
 * fingerprint and finished first. After a restart the file being read is found the same way, even
 * if it was renamed or compressed meanwhile.
 */
final class Tailer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Tailer.class);

  private final Path path;
  private final String source;
  private final AgentOptions options;
  private final AgentState store;
  private final IngestClient sender;
  private final String pathId;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private FileState state;
  private Segment current;
  private boolean finished;

  Tailer(Path path, String source, AgentOptions options, AgentState store, IngestClient sender) {
    this.path = path.toAbsolutePath().normalize();
    this.source = source;
    this.options = options;
    this.store = store;
    this.sender = sender;
    this.pathId =
        Fingerprint.of(this.path.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  void stop() {
    running = false;
  }

  Throwable failure() {
    return failure;
  }

  @Override
  public void run() {
    try {
      state = store.get(path.toString()).orElse(null);
      while (running) {
        if (current == null && !locate()) {
          pause(options.pollInterval().toMillis());
          continue;
        }
        if (!step()) {
          pause(options.pollInterval().toMillis());
        }
      }
    } catch (IOException | RuntimeException e) {
      failure =
          new IllegalStateException(
              path + (state == null ? "" : " at offset " + state.offset()) + ": " + e.getMessage(),
              e);
      log.error("agent: stopped following {}", failure.getMessage());
    } finally {
      closeCurrent();
    }
  }

  /** One unit of work; false when there was nothing to do. */
  private boolean step() throws IOException {
    if (state.hasPending()) {
      byte[] batch = current.read(state.offset(), (int) (state.pendingEnd() - state.offset()));
      if (batch.length < state.pendingEnd() - state.offset()) {
        throw new IOException(
            current + " is shorter than the batch to re-send (" + state + "); it was changed");
      }
      send(batch);
      return true;
    }
    if (!finished && rotated()) {
      return true;
    }
    byte[] batch = nextBatch();
    if (!finished
        && state.fingerprintLength() > 0
        && !state.fingerprint().equals(Fingerprint.of(current, state.fingerprintLength()))) {
      return true; // the file changed under the read (copytruncate): the next step sees it
    }
    if (batch.length == 0) {
      if (finished) {
        switchToNewFile();
        return current != null;
      }
      return false;
    }
    int fpLength = (int) Math.min(Fingerprint.MAX_LENGTH, state.offset() + batch.length);
    String fp =
        fpLength == state.fingerprintLength()
            ? state.fingerprint()
            : Fingerprint.of(current, fpLength);
    state = state.withPending(state.offset() + batch.length, fp, fpLength);
    store.put(path.toString(), state);
    send(batch);
    return true;
  }

  /** Sends until acknowledged or stopped; a refused batch stops the tailer (IngestException). */
  private void send(byte[] batch) throws IOException {
    String key =
        "agent-" + store.id() + "-" + pathId + "-g" + state.generation() + "-" + state.offset();
    try {
      if (sender.postLines(source, key, batch, () -> running)) {
        state = state.committed();
        store.put(path.toString(), state);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /**
   * Complete lines from the position, up to the batch limits, after waiting up to the linger time
   * for a batch to fill. A finished (rotated) file's last line counts as complete.
   */
  private byte[] nextBatch() throws IOException {
    long deadline = System.nanoTime() + options.linger().toNanos();
    while (true) {
      byte[] bytes = current.read(state.offset(), options.batchBytes());
      int end = lastLineEnd(bytes, options.batchLines());
      boolean full =
          bytes.length >= options.batchBytes()
              || lastLineEnd(bytes, options.batchLines() + 1) > end;
      if (end == 0 && bytes.length >= options.batchBytes()) {
        // one line longer than a batch: send it whole; the app judges its length
        bytes = current.read(state.offset(), options.batchBytes() * 4);
        end = lastLineEnd(bytes, 1);
        end = end == 0 ? bytes.length : end;
        return java.util.Arrays.copyOf(bytes, end);
      }
      if (finished) {
        return bytes.length > 0 && end == 0 ? bytes : java.util.Arrays.copyOf(bytes, end);
      }
      if (end > 0 && (full || System.nanoTime() - deadline >= 0 || !running)) {
        return java.util.Arrays.copyOf(bytes, end);
      }
      if (end == 0 || !running) {
        return new byte[0];
      }
      pause(Math.min(10, options.linger().toMillis()));
    }
  }

  /** The end of the last complete line within {@code maxLines} lines, or 0. */
  private static int lastLineEnd(byte[] bytes, int maxLines) {
    int lines = 0;
    int end = 0;
    for (int i = 0; i < bytes.length && lines < maxLines; i++) {
      if (bytes[i] == '\n') {
        lines++;
        end = i + 1;
      }
    }
    return end;
  }

  /** Notices a rotation of the live file; true when the reading position changed. */
  private boolean rotated() throws IOException {
    String key = Segment.fileKey(path);
    if (key != null && !key.equals(current.fileKey())) {
      log.info("agent: {} was rotated (renamed); finishing the old file", path);
      finished = true;
      return true;
    }
    if (state.fingerprintLength() == 0) {
      return false;
    }
    String fp = Fingerprint.of(current, state.fingerprintLength());
    if (state.fingerprint().equals(fp)) {
      return false;
    }
    log.info("agent: {} was truncated (copytruncate); looking for its rotated copy", path);
    closeCurrent();
    Segment copy = findRotated();
    if (copy != null) {
      current = copy;
      finished = true;
    } else {
      log.warn(
          "agent: no rotated copy of {} holds bytes after offset {}; continuing with the new file",
          path,
          state.offset());
      switchToNewFile();
    }
    return true;
  }

  /**
   * Moves on from a finished file to the next one of this path: the oldest of {@code path} and its
   * rotated siblings modified after the finished file (rotation keeps modification times, also when
   * compressing), so files rotated away while the agent was down are not skipped.
   */
  private void switchToNewFile() throws IOException {
    long after = finishedModified();
    closeCurrent();
    finished = false;
    Path next = null;
    long nextModified = Long.MAX_VALUE;
    for (Path candidate : rotationSet()) {
      long modified = modified(candidate);
      if (modified > after && modified < nextModified) {
        next = candidate;
        nextModified = modified;
      }
    }
    if (next == null) {
      return;
    }
    current = Segment.open(next);
    finished = !next.equals(path);
    state = FileState.fresh(state.generation() + 1, current.fileKey());
    store.put(path.toString(), state);
    if (finished) {
      log.info("agent: reading {} next, rotated away meanwhile", next);
    }
  }

  /** The modification time of the file just finished, found by its identity or fingerprint. */
  private long finishedModified() throws IOException {
    for (Path candidate : rotationSet()) {
      if (current.fileKey().equals(Segment.fileKey(candidate))) {
        return modified(candidate);
      }
    }
    for (Path candidate : rotationSet()) {
      try (Segment segment = Segment.open(candidate)) {
        if (matches(segment)) {
          return modified(candidate);
        }
      } catch (IOException unreadable) {
        log.debug("skipping {}: {}", candidate, unreadable.toString());
      }
    }
    return System.currentTimeMillis() - 1000;
  }

  /** The path and its rotated siblings ({@code path.*}, temporary files excluded). */
  private List<Path> rotationSet() throws IOException {
    List<Path> files = new ArrayList<>();
    String prefix = path.getFileName().toString() + ".";
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(path.getParent(), prefix + "*")) {
      dir.forEach(files::add);
    }
    files.removeIf(p -> p.getFileName().toString().endsWith(".tmp"));
    if (Files.exists(path)) {
      files.add(path);
    }
    return files;
  }

  /** Finds the file to read after a start; false while the path does not exist yet. */
  private boolean locate() throws IOException {
    if (state == null) {
      if (!Files.exists(path)) {
        return false;
      }
      current = Segment.open(path);
      state = FileState.fresh(0, current.fileKey());
      store.put(path.toString(), state);
      return true;
    }
    if (Files.exists(path)) {
      Segment live = Segment.open(path);
      if (matches(live)) {
        current = live;
        return true;
      }
      live.close();
    }
    Segment rotated = findRotated();
    if (rotated != null) {
      log.info("agent: resuming {} in its rotated file {}", path, rotated);
      current = rotated;
      finished = true;
      return true;
    }
    if (!Files.exists(path)) {
      return false;
    }
    log.warn(
        "agent: the file {} was reading at offset {} is gone; starting with {}",
        path,
        state.offset(),
        path);
    current = Segment.open(path);
    state = FileState.fresh(state.generation() + 1, current.fileKey());
    store.put(path.toString(), state);
    return true;
  }

  private boolean matches(Segment segment) throws IOException {
    long needed = Math.max(state.offset(), state.pendingEnd());
    if (!state.fingerprint().equals(Fingerprint.of(segment, state.fingerprintLength()))) {
      return false;
    }
    return needed == 0 || segment.read(needed - 1, 1).length == 1;
  }

  /** A sibling {@code path.*} holding this file's bytes past the position, newest first. */
  private Segment findRotated() throws IOException {
    List<Path> candidates = rotationSet();
    candidates.remove(path);
    candidates.sort(Comparator.comparing(Tailer::modified).reversed());
    for (Path candidate : candidates) {
      Segment segment;
      try {
        segment = Segment.open(candidate);
      } catch (IOException vanished) {
        continue;
      }
      try {
        if (matches(segment)) {
          return segment;
        }
      } catch (IOException unreadable) {
        log.debug("skipping {}: {}", candidate, unreadable.toString());
      }
      segment.close();
    }
    return null;
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private void closeCurrent() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        log.debug("closing {}: {}", current, e.toString());
      }
      current = null;
    }
  }

  private static void pause(long millis) {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis)));
  }
}
