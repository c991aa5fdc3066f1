package io.oxbow.serving;

import io.oxbow.lake.LakeStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A lake whose batch view is replaced at the worst moment: the first time a Parquet file is read
 * (after the reader has read the manifest naming it), {@code replace} runs first, as a compactor
 * publishing new versions and removing the old ones would, between the two reads.
 */
final class SwapOnFirstRead implements LakeStorage {
  /** What replaces the view; may throw. */
  @FunctionalInterface
  interface Replacement {
    void run() throws IOException;
  }

  private final LakeStorage lake;
  private final Replacement replace;
  private boolean replaced;

  SwapOnFirstRead(LakeStorage lake, Replacement replace) {
    this.lake = lake;
    this.replace = replace;
  }

  @Override
  public synchronized LocalCopy localCopy(String key) throws IOException {
    if (!replaced && key.endsWith(".parquet")) {
      replaced = true;
      replace.run();
    }
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
