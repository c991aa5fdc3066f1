package io.oxbow.serving;

import io.oxbow.lake.LakeStorage;
import java.io.IOException;

/**
 * A lake whose batch view is replaced at the worst moment: the first time a Parquet file is read
 * (after the reader has read the manifest naming it), {@code replace} runs first, as a compactor
 * publishing new versions and removing the old ones would, between the two reads.
 */
final class SwapOnFirstRead extends ForwardingLakeStorage {
  /** What replaces the view; may throw. */
  @FunctionalInterface
  interface Replacement {
    void run() throws IOException;
  }

  private final Replacement replace;
  private boolean replaced;

  SwapOnFirstRead(LakeStorage lake, Replacement replace) {
    super(lake);
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
}
