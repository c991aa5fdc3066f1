package io.oxbow.batch.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.batch.storage.LakeStorage;
import java.io.IOException;
import java.util.Optional;

/** Reads and atomically replaces the {@link ViewManifest}. */
public final class ViewManifestStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LakeStorage storage;

  /** The manifest in {@code storage}. */
  public ViewManifestStore(LakeStorage storage) {
    this.storage = storage;
  }

  /** The manifest, or an empty one when no view was compacted yet. */
  public ViewManifest read() throws IOException {
    Optional<byte[]> bytes = storage.read(ViewManifest.KEY);
    if (bytes.isEmpty()) {
      return ViewManifest.empty();
    }
    try {
      return JSON.readValue(bytes.get(), ViewManifest.class);
    } catch (IOException e) {
      throw new IOException(
          "the view manifest " + ViewManifest.KEY + " is not readable: " + e.getMessage(), e);
    }
  }

  /** Atomically replaces the manifest. */
  public void write(ViewManifest manifest) throws IOException {
    storage.putAtomic(
        ViewManifest.KEY, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
  }

  /** The key of a view hour's file of {@code version}. */
  public static String fileKey(String view, long hourStart, long version) {
    return io.oxbow.batch.landing.LandedFile.hourFolder("views/" + view, hourStart)
        + "/"
        + view
        + "-v"
        + version
        + ".parquet";
  }
}
