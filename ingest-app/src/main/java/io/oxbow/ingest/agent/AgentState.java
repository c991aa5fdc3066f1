package io.oxbow.ingest.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The agent's durable position in every tailed path: a small JSON file rewritten atomically (write
 * a temporary file, fsync it, rename it over the old one, fsync the directory), so after a crash it
 * holds either the previous or the new state, never a torn one.
 *
 * <p>It also holds a random id made when the file is created; batch keys include it, so a new state
 * file never collides with keys the ingest app remembers from an earlier one.
 */
final class AgentState {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path file;
  private final String id;
  private final Map<String, FileState> files;

  private AgentState(Path file, String id, Map<String, FileState> files) {
    this.file = file;
    this.id = id;
    this.files = files;
  }

  /** Loads the state file, or starts an empty state when it does not exist. */
  static AgentState load(Path file) throws IOException {
    if (!Files.exists(file)) {
      AgentState state = new AgentState(file, UUID.randomUUID().toString(), new TreeMap<>());
      state.save();
      return state;
    }
    ObjectNode root = (ObjectNode) MAPPER.readTree(file.toFile());
    Map<String, FileState> files = new TreeMap<>();
    root.path("files")
        .fields()
        .forEachRemaining(
            e -> files.put(e.getKey(), MAPPER.convertValue(e.getValue(), FileState.class)));
    return new AgentState(file, root.path("id").asText(), files);
  }

  String id() {
    return id;
  }

  synchronized Optional<FileState> get(String path) {
    return Optional.ofNullable(files.get(path));
  }

  /** Records a path's new state and makes it durable before returning. */
  synchronized void put(String path, FileState state) {
    files.put(path, state);
    try {
      save();
    } catch (IOException e) {
      throw new UncheckedIOException("could not save the agent state to " + file, e);
    }
  }

  private void save() throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", id);
    root.set("files", MAPPER.valueToTree(files));
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(java.nio.ByteBuffer.wrap(MAPPER.writeValueAsBytes(root)));
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException notSupported) {
      // some file systems cannot sync a directory; the rename itself is still atomic
    }
  }
}
