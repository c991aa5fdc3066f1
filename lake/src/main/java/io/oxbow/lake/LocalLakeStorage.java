package io.oxbow.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The lake in a local directory (default {@code ./data/lake}). Publishing is the classic atomic
 * protocol: the staged file (in {@code <root>/_staging}, same filesystem) is fsynced, renamed onto
 * its key with an atomic move, and the target directory is fsynced so the rename survives a power
 * loss. {@code _staging} starts with an underscore so Hive-style readers (Spark, Trino) skip it.
 */
public final class LocalLakeStorage implements LakeStorage {
  /** Folder under the root where files are written before they are published. */
  public static final String STAGING = "_staging";

  private final Path root;
  private final Path staging;

  /**
   * A lake rooted at {@code root}. Nothing is created until something is written (the staging
   * folder then), so a reader can open a lake it may not write.
   */
  public LocalLakeStorage(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.staging = this.root.resolve(STAGING);
  }

  /** The lake's root directory. */
  public Path root() {
    return root;
  }

  /** The staging folder, created when missing. */
  @Override
  public Path stagingDir() {
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the lake directory " + staging, e);
    }
    return staging;
  }

  @Override
  public void publish(Path staged, String key) throws IOException {
    Path target = resolve(key);
    fsync(staged, false);
    Files.createDirectories(target.getParent());
    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsync(target.getParent(), true);
  }

  @Override
  public void putAtomic(String key, byte[] content) throws IOException {
    Path temp = Files.createTempFile(stagingDir(), "put-", ".tmp");
    try {
      Files.write(temp, content);
      publish(temp, key);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public Optional<byte[]> read(String key) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(resolve(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<StoredObject> listObjects(String prefix) throws IOException {
    Path dir = prefix.isEmpty() ? root : resolve(prefix);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<StoredObject> objects = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> !p.startsWith(staging)).forEach(p -> stat(p).ifPresent(objects::add));
    } catch (UncheckedIOException e) {
      // a file removed while walking (compaction) is simply not listed
      if (!(e.getCause() instanceof NoSuchFileException)) {
        throw e.getCause();
      }
    }
    objects.sort(Comparator.comparing(StoredObject::key));
    return objects;
  }

  private Optional<StoredObject> stat(Path path) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(
          new StoredObject(
              root.relativize(path).toString().replace('\\', '/'),
              attributes.size(),
              Long.toString(attributes.lastModifiedTime().toMillis())));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(resolve(key));
  }

  @Override
  public LocalCopy localCopy(String key) throws IOException {
    Path path = resolve(key);
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(path.toString());
    }
    return new LocalCopy() {
      @Override
      public Path path() {
        return path;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public String location() {
    return root.toString();
  }

  @Override
  public void close() {}

  private Path resolve(String key) {
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root) || key.isEmpty()) {
      throw new IllegalArgumentException("key outside the lake: " + key);
    }
    return path;
  }

  private static void fsync(Path path, boolean directory) throws IOException {
    try (FileChannel channel =
        FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      channel.force(true);
    } catch (IOException e) {
      if (!directory) {
        throw e;
      }
      // some filesystems refuse to open directories for fsync; the rename itself is still atomic
    }
  }
}
