package io.oxbow.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/js/interop.js with Node.js: installs its npm dependencies once into
 * target/js-interop (again only when package.json changes) and calls it as a subprocess.
 */
final class NodeInterop {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  private NodeInterop(Path dir) {
    this.dir = dir;
  }

  /** Whether a {@code node} executable runs here. */
  static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Copies the script and installs the npm packages when needed. */
  static NodeInterop prepare() throws IOException, InterruptedException {
    Path module = Path.of(System.getProperty("oxbow.root"), "schema-registry");
    Path source = module.resolve("src/test/js");
    Path dir = module.resolve("target/js-interop");
    Files.createDirectories(dir);
    boolean packageChanged =
        !Files.exists(dir.resolve("package.json"))
            || Files.mismatch(source.resolve("package.json"), dir.resolve("package.json")) != -1;
    for (String file : List.of("package.json", "interop.js")) {
      Files.copy(source.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (packageChanged || !Files.isDirectory(dir.resolve("node_modules/kafkajs"))) {
      run(dir, 300, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
    }
    return new NodeInterop(dir);
  }

  /** Runs {@code node interop.js args...} and parses the JSON line it prints. */
  JsonNode call(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", "interop.js"));
    command.addAll(List.of(args));
    String out = run(dir, 120, command.toArray(String[]::new));
    String[] lines = out.trim().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  private static String run(Path dir, int timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Path stderr = Files.createTempFile(dir, "stderr", ".txt");
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile()).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    Files.deleteIfExists(stderr);
    assertThat(done && p.exitValue() == 0)
        .as("%s failed: %s", String.join(" ", command), err)
        .isTrue();
    return new String(stdout, StandardCharsets.UTF_8);
  }
}
