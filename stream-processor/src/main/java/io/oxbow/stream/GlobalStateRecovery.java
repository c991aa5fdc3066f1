package io.oxbow.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the stream processor start again after an unclean stop (kill -9, a crash, a power loss).
 *
 * <p>Under exactly_once_v2 Kafka Streams refuses to open a persistent store that was not closed
 * cleanly, since it may hold uncommitted writes. For the stores of tasks it handles this itself: it
 * wipes them and restores them from their changelogs. For the global store ({@code geoip-ranges})
 * it does not (up to at least Kafka 4.4): the global thread dies with a {@code
 * TaskCorruptedException} and the application goes to ERROR, so every restart fails the same way.
 *
 * <p>This class keeps a marker file, {@code <state-dir>/<application-id>/oxbow-clean-stop}, written
 * only after Kafka Streams closed within its timeout (which closes every store cleanly) and removed
 * when the processor starts. At start ({@link #prepare}), a global state directory {@code
 * <state-dir>/<application-id>/global} without that marker comes from an unclean stop: it is
 * deleted, and Kafka Streams rebuilds the global store from its compacted topic, reading committed
 * records only. Task stores are left to Kafka Streams. The deletion holds the same file lock as
 * Kafka Streams ({@code <state-dir>/<application-id>/.lock}), so the state of a processor that is
 * still running in that directory is never touched; when the lock is held elsewhere nothing is
 * deleted and Kafka Streams itself then refuses to start on the locked directory.
 *
 * <p>Why this is safe under exactly_once_v2: the global store is a pure function of its topic (a
 * compacted topic written in transactions by {@code oxbow load-geoip}, read committed), it has no
 * changelog of its own, and no processor writes to it; so deleting it loses nothing that is not in
 * the topic, and rebuilding it yields the store a clean restart would have.
 */
public final class GlobalStateRecovery {
  private static final Logger log = LoggerFactory.getLogger(GlobalStateRecovery.class);

  /** The marker of a clean stop, in the application's state directory. */
  public static final String CLEAN_STOP_MARKER = "oxbow-clean-stop";

  /** The global state directory's name, as Kafka Streams names it. */
  static final String GLOBAL_DIR = "global";

  /** Kafka Streams' lock file of an application's state directory. */
  static final String LOCK_FILE = ".lock";

  private final Path appDir;

  /** Recovery of the state of {@code applicationId} under {@code stateDir}. */
  public GlobalStateRecovery(Path stateDir, String applicationId) {
    this.appDir = stateDir.resolve(applicationId);
  }

  /**
   * Call before Kafka Streams is created: deletes the global state directory when the last stop was
   * not clean, and removes the clean-stop marker (so a kill from now on is seen at the next start).
   *
   * @return true when a global state directory was deleted (it will be rebuilt from its topic)
   */
  public boolean prepare() {
    Path global = appDir.resolve(GLOBAL_DIR);
    Path marker = appDir.resolve(CLEAN_STOP_MARKER);
    try {
      if (!Files.isDirectory(global)) {
        Files.deleteIfExists(marker);
        return false;
      }
      if (Files.exists(marker)) {
        Files.delete(marker);
        return false;
      }
      try (FileChannel channel =
              FileChannel.open(
                  appDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = tryLock(channel)) {
        if (lock == null) {
          log.warn(
              "state directory {} is locked by another Kafka Streams instance; the global store"
                  + " is left as it is",
              appDir);
          return false;
        }
        log.warn(
            "the last stop of {} was not clean: deleting the global store state {} so that it is"
                + " rebuilt from its topic (under exactly_once_v2 Kafka Streams would refuse it)",
            appDir.getFileName(),
            global);
        deleteTree(global);
        return true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the global state in " + appDir, e);
    }
  }

  /** Call after Kafka Streams closed cleanly: marks the state as cleanly stopped. */
  public void markCleanStop() {
    try {
      Files.createDirectories(appDir);
      Files.writeString(appDir.resolve(CLEAN_STOP_MARKER), Instant.now() + "\n");
    } catch (IOException e) {
      log.warn(
          "cannot write the clean-stop marker in {}: the next start rebuilds the global store",
          appDir,
          e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldByThisProcess) {
      return null;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
