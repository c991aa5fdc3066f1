package io.oxbow.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One view's manifest as readers of the lake (the serving API, or any engine) take it: JSON at
 * {@code views/<view>/_manifest.json}, replaced atomically by the batch loader after the files it
 * names are published.
 *
 * <pre>{@code
 * {"view": "traffic", "watermark": "2026-11-25T10:00:00Z",
 *  "files": ["dt=2026-11-25/hour=09/traffic-v1.parquet"]}
 * }</pre>
 *
 * <p>{@code watermark} (ISO-8601 text, or UTC epoch millis when read): every window ending at or
 * before it is final in the batch view. {@code files} (optional when read): the current Parquet
 * files, relative to the view's folder; a reader that takes only these never sees an old and a new
 * version of an hour together. Without it a reader takes every visible {@code *.parquet} file under
 * the view's folder ({@link LakeLayout#hidden}).
 *
 * @param view the view's name
 * @param watermark the watermark, UTC epoch millis
 * @param files the listed files, relative to the view's folder, or empty when none are listed
 */
public record PublishedViewManifest(String view, long watermark, Optional<List<String>> files) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the list. */
  public PublishedViewManifest {
    files = files.map(List::copyOf);
  }

  /** The listed files as keys of the lake ({@code views/<view>/...}), when listed. */
  public Optional<List<String>> fileKeys() {
    String folder = LakeLayout.viewFolder(view) + "/";
    return files.map(list -> list.stream().map(f -> folder + f).toList());
  }

  /** The JSON the batch loader writes. */
  byte[] toJson() throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("view", view);
    json.put("watermark", Instant.ofEpochMilli(watermark).toString());
    files.ifPresent(list -> json.put("files", list));
    return JSON.writeValueAsBytes(json);
  }

  /**
   * The manifest of {@code view} in {@code bytes} (read from {@code key}).
   *
   * @throws IOException naming the key when the content is not a manifest
   */
  public static PublishedViewManifest parse(String view, String key, byte[] bytes)
      throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IOException("batch manifest " + key + " is not JSON: " + e.getMessage(), e);
    }
    JsonNode watermark = root == null ? null : root.get("watermark");
    if (watermark == null || watermark.isNull()) {
      throw new IOException("batch manifest " + key + " has no watermark");
    }
    long millis;
    if (watermark.isIntegralNumber()) {
      millis = watermark.asLong();
    } else {
      try {
        millis = Instant.parse(watermark.asText()).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new IOException(
            "batch manifest " + key + ": watermark '" + watermark.asText() + "' is not ISO-8601");
      }
    }
    JsonNode listed = root.get("files");
    if (listed == null || listed.isNull()) {
      return new PublishedViewManifest(view, millis, Optional.empty());
    }
    List<String> files = new ArrayList<>();
    listed.forEach(f -> files.add(f.asText()));
    return new PublishedViewManifest(view, millis, Optional.of(files));
  }
}
