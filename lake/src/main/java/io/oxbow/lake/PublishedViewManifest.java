package io.oxbow.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One view's manifest as readers of the lake (the serving API, or any engine) take it: JSON at
 * {@code views/<view>/_manifest.json}, replaced atomically by the batch loader after the files it
 * names are published.
 *
 * <pre>{@code
 * {"view": "traffic", "watermark": "2026-11-25T10:00:00Z",
 *  "files": ["dt=2026-11-25/hour=09/traffic-v1.parquet"],
 *  "tiers": {"1h": ["tier=1h/dt=2026-11-25/hour=09/traffic-v1.parquet"],
 *            "1d": ["tier=1d/dt=2026-11-25/traffic-v1.parquet"]}}
 * }</pre>
 *
 * <p>{@code watermark} (ISO-8601 text, or UTC epoch millis when read): every window ending at or
 * before it is final in the batch view. {@code files} (optional when read): the current Parquet
 * files, relative to the view's folder; a reader that takes only these never sees an old and a new
 * version of an hour together. Without it a reader takes every visible {@code *.parquet} file under
 * the view's folder ({@link LakeLayout#hidden}) outside the tier folders ({@link
 * LakeLayout#inTier}).
 *
 * <p>{@code tiers} (optional; absent means the view has none): per roll-up tier ({@code 1h}, {@code
 * 1d}), its current files, relative to the view's folder. A tier's file holds the same groups as
 * the view's files of its hour or day, rolled up to the tier's window with the view's monoids; it
 * is switched in the same manifest as the files it was folded from, so both always agree.
 *
 * <p>{@code retained_from} (optional; absent means retention removed nothing): per tier ({@code
 * files} for the view's own files, {@code 1h}, {@code 1d}), the start of its first bucket the batch
 * loader's retention keeps (ISO-8601 text, or UTC epoch millis when read). Every bucket of that
 * tier before it was removed: a reader answers it from a coarser tier, or reports it as gone.
 *
 * @param view the view's name
 * @param watermark the watermark, UTC epoch millis
 * @param files the listed files, relative to the view's folder, or empty when none are listed
 * @param tiers per tier, its files relative to the view's folder (empty: no tiers)
 * @param retainedFrom per tier ({@link LakeLayout#FILES_TIER} or a roll-up tier), the start of the
 *     first bucket retention keeps, UTC epoch millis (absent: nothing removed)
 */
public record PublishedViewManifest(
    String view,
    long watermark,
    Optional<List<String>> files,
    Map<String, List<String>> tiers,
    Map<String, Long> retainedFrom) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the lists. */
  public PublishedViewManifest {
    files = files.map(List::copyOf);
    Map<String, List<String>> copy = new TreeMap<>();
    tiers.forEach((tier, list) -> copy.put(tier, List.copyOf(list)));
    tiers = Collections.unmodifiableMap(copy);
    retainedFrom = Collections.unmodifiableMap(new TreeMap<>(retainedFrom));
  }

  /** A manifest of which retention removed nothing. */
  public PublishedViewManifest(
      String view, long watermark, Optional<List<String>> files, Map<String, List<String>> tiers) {
    this(view, watermark, files, tiers, Map.of());
  }

  /** A manifest without tiers. */
  public PublishedViewManifest(String view, long watermark, Optional<List<String>> files) {
    this(view, watermark, files, Map.of());
  }

  /**
   * The start (UTC epoch millis) of the first bucket of {@code tier} ({@link LakeLayout#FILES_TIER}
   * or a roll-up tier) that retention keeps; {@link Long#MIN_VALUE} when it removed none.
   */
  public long retainedFrom(String tier) {
    return retainedFrom.getOrDefault(tier, Long.MIN_VALUE);
  }

  /** The files of {@code tier} as keys of the lake ({@code views/<view>/tier=...}). */
  public List<String> tierFileKeys(String tier) {
    String folder = LakeLayout.viewFolder(view) + "/";
    return tiers.getOrDefault(tier, List.of()).stream().map(f -> folder + f).toList();
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
    if (!tiers.isEmpty()) {
      json.put("tiers", tiers);
    }
    if (!retainedFrom.isEmpty()) {
      Map<String, String> horizons = new LinkedHashMap<>();
      retainedFrom.forEach(
          (tier, from) -> horizons.put(tier, Instant.ofEpochMilli(from).toString()));
      json.put("retained_from", horizons);
    }
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
    long millis = time(key, "watermark", watermark);
    Map<String, List<String>> tiers = new LinkedHashMap<>();
    JsonNode tierNode = root.get("tiers");
    if (tierNode != null && tierNode.isObject()) {
      for (var tier = tierNode.fields(); tier.hasNext(); ) {
        var entry = tier.next();
        if (LakeLayout.TIERS.contains(entry.getKey())) {
          tiers.put(entry.getKey(), texts(entry.getValue()));
        }
      }
    }
    Map<String, Long> retained = new LinkedHashMap<>();
    JsonNode retainedNode = root.get("retained_from");
    if (retainedNode != null && retainedNode.isObject()) {
      for (var tier = retainedNode.fields(); tier.hasNext(); ) {
        var entry = tier.next();
        retained.put(
            entry.getKey(), time(key, "retained_from." + entry.getKey(), entry.getValue()));
      }
    }
    JsonNode listed = root.get("files");
    Optional<List<String>> files =
        listed == null || listed.isNull() ? Optional.empty() : Optional.of(texts(listed));
    return new PublishedViewManifest(view, millis, files, tiers, retained);
  }

  /** A time field: ISO-8601 text or epoch millis. */
  private static long time(String key, String field, JsonNode value) throws IOException {
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    try {
      return Instant.parse(value.asText()).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IOException(
          "batch manifest " + key + ": " + field + " '" + value.asText() + "' is not ISO-8601");
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(f -> texts.add(f.asText()));
    return texts;
  }
}
