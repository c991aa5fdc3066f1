package io.oxbow.batch.retention;

import io.oxbow.lake.LakeStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A lake that records every write and delete in order, and can fail the deletes after the first
 * {@code deletesBeforeCrash} (a process dying between the manifest switch and the deletions).
 */
final class RecordingLake implements LakeStorage {
  private final LakeStorage lake;
  private final int deletesBeforeCrash;
  final List<String> operations = new ArrayList<>();

  RecordingLake(LakeStorage lake, int deletesBeforeCrash) {
    this.lake = lake;
    this.deletesBeforeCrash = deletesBeforeCrash;
  }

  @Override
  public Path stagingDir() {
    return lake.stagingDir();
  }

  @Override
  public void publish(Path staged, String key) throws IOException {
    operations.add("put " + key);
    lake.publish(staged, key);
  }

  @Override
  public void putAtomic(String key, byte[] content) throws IOException {
    operations.add("put " + key);
    lake.putAtomic(key, content);
  }

  @Override
  public Optional<byte[]> read(String key) throws IOException {
    return lake.read(key);
  }

  @Override
  public List<StoredObject> listObjects(String prefix) throws IOException {
    return lake.listObjects(prefix);
  }

  @Override
  public void delete(String key) throws IOException {
    if (operations.stream().filter(o -> o.startsWith("delete ")).count() >= deletesBeforeCrash) {
      throw new IOException("killed before deleting " + key);
    }
    operations.add("delete " + key);
    lake.delete(key);
  }

  @Override
  public LocalCopy localCopy(String key) throws IOException {
    return lake.localCopy(key);
  }

  @Override
  public String location() {
    return lake.location();
  }

  @Override
  public void close() {
    lake.close();
  }
}
