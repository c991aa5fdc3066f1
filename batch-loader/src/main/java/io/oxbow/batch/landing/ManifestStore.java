package io.oxbow.batch.landing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and atomically replaces the {@link PartitionManifest}s of the lake's datasets. */
public final class ManifestStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LakeStorage storage;

  /** Manifests kept in {@code storage}. */
  public ManifestStore(LakeStorage storage) {
    this.storage = storage;
  }

  /** The partition's manifest, or empty when nothing was committed for it yet. */
  public Optional<PartitionManifest> read(String dataset, String topic, int partition)
      throws IOException {
    Optional<byte[]> bytes = storage.read(PartitionManifest.key(dataset, topic, partition));
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(parse(PartitionManifest.key(dataset, topic, partition), bytes.get()));
  }

  /** Every partition manifest of {@code dataset}. */
  public List<PartitionManifest> readAll(String dataset) throws IOException {
    List<PartitionManifest> all = new ArrayList<>();
    for (String key : storage.list(LakeLayout.partitionManifestFolder(dataset))) {
      if (key.endsWith(".json")) {
        Optional<byte[]> bytes = storage.read(key);
        if (bytes.isPresent()) {
          all.add(parse(key, bytes.get()));
        }
      }
    }
    return all;
  }

  /** Atomically replaces the partition's manifest. */
  public void write(String dataset, PartitionManifest manifest) throws IOException {
    storage.putAtomic(
        PartitionManifest.key(dataset, manifest.topic(), manifest.partition()),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
  }

  private static PartitionManifest parse(String key, byte[] bytes) throws IOException {
    try {
      return JSON.readValue(bytes, PartitionManifest.class);
    } catch (IOException e) {
      throw new IOException("the manifest " + key + " is not readable: " + e.getMessage(), e);
    }
  }
}
