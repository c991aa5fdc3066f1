package io.oxbow.serving;

import io.oxbow.lake.LakeStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A lake that hands every call to {@code lake}; tests override the calls they watch or disturb. */
abstract class ForwardingLakeStorage implements LakeStorage {
  /** The lake every call goes to. */
  protected final LakeStorage lake;

  ForwardingLakeStorage(LakeStorage lake) {
    this.lake = lake;
  }

  @Override
  public LocalCopy localCopy(String key) throws IOException {
    return lake.localCopy(key);
  }

  @Override
  public Path stagingDir() {
    return lake.stagingDir();
  }

  @Override
  public void publish(Path staged, String key) throws IOException {
    lake.publish(staged, key);
  }

  @Override
  public void putAtomic(String key, byte[] content) throws IOException {
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
    lake.delete(key);
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
