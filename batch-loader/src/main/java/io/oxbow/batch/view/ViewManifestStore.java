package io.oxbow.batch.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.batch.storage.LakeStorage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and atomically replaces the {@link ViewManifest}, and publishes each view's manifest for
 * readers of the lake (the serving API, or any engine): {@code views/<view>/_manifest.json} with
 * the view's batch watermark (ISO-8601) and its current files, relative to the view's directory:
 *
 * <pre>{@code
 * {"view": "traffic", "watermark": "2026-11-25T10:00:00Z",
 *  "files": ["dt=2026-11-25/hour=09/traffic-v1.parquet"]}
 * }</pre>
 *
 * <p>A reader that takes only the listed files never sees an old and a new version of an hour
 * together. A view without a watermark yet has no such manifest.
 */
public final class ViewManifestStore {
  /** File name of a view's published manifest within its directory. */
  public static final String PUBLISHED_NAME = "_manifest.json";

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

  /** Atomically replaces the manifest, then each view's published manifest. */
  public void write(ViewManifest manifest) throws IOException {
    storage.putAtomic(
        ViewManifest.KEY, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    for (Map.Entry<String, ViewManifest.ViewState> view : manifest.views().entrySet()) {
      if (view.getValue().watermark() != Long.MIN_VALUE) {
        storage.putAtomic(
            publishedKey(view.getKey()),
            JSON.writeValueAsBytes(published(view.getKey(), view.getValue())));
      }
    }
  }

  /** The key of a view's published manifest: {@code views/<view>/_manifest.json}. */
  public static String publishedKey(String view) {
    return "views/" + view + "/" + PUBLISHED_NAME;
  }

  private static Map<String, Object> published(String view, ViewManifest.ViewState state) {
    String prefix = "views/" + view + "/";
    List<String> files = new ArrayList<>();
    state
        .hours()
        .forEach(
            (hour, version) ->
                files.add(fileKey(view, hour, version.version()).substring(prefix.length())));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("view", view);
    json.put("watermark", Instant.ofEpochMilli(state.watermark()).toString());
    json.put("files", files);
    return json;
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
