package io.oxbow.localkafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The npm package {@code s3rver} (an S3-compatible server) run by Node.js for an IT: installed once
 * into {@code target/s3rver-npm} (of the build's root when the system property {@code oxbow.root}
 * names it), started on a free port with one bucket, for tests and benchmarks of the lake in S3.
 * Tests skip their S3 cases where it is not {@link #available()}.
 */
public final class S3rver implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

  private final Process process;
  private final int port;

  private S3rver(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** True where Node.js and npm are installed (tests skip S3 cases elsewhere). */
  public static boolean available() {
    return onPath("node") && onPath("npm");
  }

  /**
   * Starts s3rver with bucket {@code bucket}, installing it first if needed.
   *
   * @throws IllegalStateException when Node.js or npm is missing ({@link #available()})
   */
  public static S3rver start(String bucket) throws Exception {
    if (!available()) {
      throw new IllegalStateException("Node.js and npm are needed to run s3rver");
    }
    // one install per build: the reactor root's target when the build names it (oxbow.root)
    String root = System.getProperty("oxbow.root", "");
    Path home =
        (root.isBlank() ? Path.of("target") : Path.of(root, "target"))
            .resolve("s3rver-npm")
            .toAbsolutePath();
    Path script = home.resolve("node_modules/s3rver/bin/s3rver.js");
    if (!Files.exists(script)) {
      Files.createDirectories(home);
      Process install =
          new ProcessBuilder(
                  "npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "s3rver@3.7.1")
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(home.resolve("npm-install.log").toFile())
              .start();
      if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
        throw new IllegalStateException(
            "npm install s3rver failed; see " + home.resolve("npm-install.log"));
      }
    }
    Path data = Files.createTempDirectory(Path.of("target"), "s3rver-data");
    Process process =
        new ProcessBuilder(
                "node",
                script.toString(),
                "-d",
                data.toAbsolutePath().toString(),
                "-a",
                "127.0.0.1",
                "-p",
                "0",
                "--configure-bucket",
                bucket)
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        int port = Integer.parseInt(m.group(1));
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      // keep the pipe from filling up
                    }
                  } catch (IOException e) {
                    // the server stopped
                  }
                },
                "s3rver-output");
        drain.setDaemon(true);
        drain.start();
        return new S3rver(process, port);
      }
    }
    throw new IllegalStateException("s3rver exited without listening: " + process.waitFor());
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
