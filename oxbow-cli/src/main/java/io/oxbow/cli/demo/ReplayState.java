package io.oxbow.cli.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The replay's checkpoint in the demo's data directory: the plan (so a resumed replay gives lines
 * the same event times) and how many lines of the merged log the ingest app has acknowledged.
 * Written atomically (temporary file, fsync, rename) after every acknowledged batch.
 *
 * @param sources the replayed files' names, in order; another set of files starts a new replay
 * @param firstMillis {@link ReplayClock#first()}
 * @param shiftMillis {@link ReplayClock#shift()}
 * @param speed {@link ReplayClock#speed()}
 * @param acknowledged lines of the merged log already acknowledged
 */
record ReplayState(
    @JsonProperty("sources") List<String> sources,
    @JsonProperty("first_millis") long firstMillis,
    @JsonProperty("shift_millis") long shiftMillis,
    @JsonProperty("speed") double speed,
    @JsonProperty("acknowledged") int acknowledged) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Optional<ReplayState> load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(JSON.readValue(file.toFile(), ReplayState.class));
  }

  ReplayState acknowledged(int lines) {
    return new ReplayState(sources, firstMillis, shiftMillis, speed, lines);
  }

  void save(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, JSON.writeValueAsBytes(this));
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
