package io.oxbow.serving.lake;

import io.oxbow.lake.LakeLayout;
import io.oxbow.lake.LakeStorage;
import io.oxbow.lake.PublishedViewManifest;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a view's published manifest ({@code views/<view>/_manifest.json}) on every call, as the
 * batch view's freshness needs, but parses it only when its bytes differ from the last ones read: a
 * year of hour files makes a manifest of about a megabyte, which a query would otherwise parse up
 * to three times (version, watermark, tiers). An unchanged manifest also comes back as the same
 * object, so comparing two versions of the batch view is a reference check. Thread-safe; holds the
 * last manifest of each view read.
 */
final class ManifestCache implements ParquetBatchViews.ManifestReader {
  private final LakeStorage storage;
  private final Map<String, Parsed> last = new ConcurrentHashMap<>();

  /** Manifests read from {@code storage}. */
  ManifestCache(LakeStorage storage) {
    this.storage = storage;
  }

  @Override
  public Optional<PublishedViewManifest> read(String view) throws IOException {
    String key = LakeLayout.viewManifestKey(view);
    Optional<byte[]> bytes = storage.read(key);
    if (bytes.isEmpty()) {
      last.remove(view);
      return Optional.empty();
    }
    Parsed previous = last.get(view);
    if (previous != null && Arrays.equals(previous.bytes, bytes.get())) {
      return Optional.of(previous.manifest);
    }
    PublishedViewManifest manifest = PublishedViewManifest.parse(view, key, bytes.get());
    last.put(view, new Parsed(bytes.get(), manifest));
    return Optional.of(manifest);
  }

  private record Parsed(byte[] bytes, PublishedViewManifest manifest) {}
}
