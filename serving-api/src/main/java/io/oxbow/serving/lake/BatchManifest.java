package io.oxbow.serving.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The batch view manifest of one view, as the serving API reads it: JSON at {@code
 * <lake>/views/<view>/_manifest.json}, replaced atomically by the batch loader.
 *
 * <pre>{@code
 * {"view": "traffic", "watermark": "2026-11-25T10:00:00Z", "files": ["dt=2026-11-25/hour=09/part-0.parquet"]}
 * }</pre>
 *
 * <p>{@code watermark} (ISO-8601 text or UTC epoch millis): every window ending at or before it is
 * final in the batch view. {@code files} (optional): the current Parquet files, relative to the
 * view's directory; without it every {@code *.parquet} file under the view's directory is read
 * (names starting with {@code _} or {@code .} are skipped, as Spark and Hive do).
 *
 * @param watermark the watermark, UTC epoch millis
 * @param files the listed files (resolved), or empty when the manifest lists none
 */
public record BatchManifest(long watermark, Optional<List<Path>> files) {
  /** Name of the manifest file within a view's directory. */
  public static final String FILE_NAME = "_manifest.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The manifest of the view stored in {@code viewDir}, or empty when there is none.
   *
   * @throws IOException naming the file when it cannot be read or its content is not a manifest
   */
  public static Optional<BatchManifest> read(Path viewDir) throws IOException {
    Path file = viewDir.resolve(FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IOException("batch manifest " + file + " is not JSON: " + e.getMessage(), e);
    }
    JsonNode watermark = root == null ? null : root.get("watermark");
    if (watermark == null || watermark.isNull()) {
      throw new IOException("batch manifest " + file + " has no watermark");
    }
    long millis;
    if (watermark.isIntegralNumber()) {
      millis = watermark.asLong();
    } else {
      try {
        millis = Instant.parse(watermark.asText()).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new IOException(
            "batch manifest " + file + ": watermark '" + watermark.asText() + "' is not ISO-8601");
      }
    }
    JsonNode listed = root.get("files");
    if (listed == null || listed.isNull()) {
      return Optional.of(new BatchManifest(millis, Optional.empty()));
    }
    List<Path> files = new ArrayList<>();
    listed.forEach(f -> files.add(viewDir.resolve(f.asText())));
    return Optional.of(new BatchManifest(millis, Optional.of(List.copyOf(files))));
  }
}
