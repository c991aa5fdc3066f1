package io.oxbow.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An {@code oxbow} command run as a real process from the packaged launcher layout ({@code
 * oxbow-cli/target/lib}), with its stdout and stderr lines captured for assertions.
 */
public final class OxbowProcess implements AutoCloseable {
  private static final Path LIB =
      Path.of(System.getProperty("oxbow.root", "..")).resolve("oxbow-cli/target/lib");

  private final Process process;
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();

  private OxbowProcess(Process process) {
    this.process = process;
    pump(process.getInputStream(), out, "stdout");
    pump(process.getErrorStream(), err, "stderr");
  }

  static OxbowProcess start(String... args) throws IOException {
    return start(java.util.Map.of(), args);
  }

  /** Starts {@code oxbow args...} with extra environment variables. */
  static OxbowProcess start(java.util.Map<String, String> env, String... args) throws IOException {
    return start(List.of(), env, args);
  }

  /**
   * Starts {@code oxbow args...} with JVM options (e.g. {@code -Xmx256m}) and extra environment
   * variables.
   */
  public static OxbowProcess start(
      List<String> jvmOptions, java.util.Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Doxbow.root=" + System.getProperty("oxbow.root", ".."));
    command.add("-cp");
    command.add(LIB + File.separator + "*");
    command.add("io.oxbow.cli.OxbowCli");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    return new OxbowProcess(builder.start());
  }

  /** Waits for a stdout line starting with {@code prefix} and returns the rest of it. */
  public String awaitLine(String prefix, Duration timeout) {
    await().atMost(timeout).failFast(this::failIfExited).until(() -> find(prefix).isPresent());
    return find(prefix).orElseThrow();
  }

  /** Waits for a stderr (log) line containing {@code text}. */
  void awaitLog(String text, Duration timeout) {
    await()
        .atMost(timeout)
        .failFast(this::failIfExited)
        .until(() -> err.stream().anyMatch(l -> l.contains(text)));
  }

  /**
   * Fails a wait once the process has exited, with its exit code and the last lines it wrote to
   * stderr (read when it fails, not when the wait began).
   */
  private void failIfExited() {
    if (!process.isAlive()) {
      List<String> log = List.copyOf(err);
      throw new AssertionError(
          "process exited with "
              + process.exitValue()
              + "; its last stderr lines:\n"
              + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
    }
  }

  /** True when a stdout line starting with {@code prefix} was printed. */
  boolean stdoutHas(String prefix) {
    return find(prefix).isPresent();
  }

  /** True while the process runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends SIGKILL (no shutdown hook runs) and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("process " + process.pid() + " outlived SIGKILL by 30 s");
    }
  }

  private Optional<String> find(String prefix) {
    return out.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst();
  }

  /** Sends SIGTERM and returns the exit code, or fails if the process outlives {@code timeout}. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("process did not stop within " + timeout + "; stderr: " + err);
    }
    return process.exitValue();
  }

  /**
   * Waits for the process to exit by itself and returns its exit code; fails past {@code timeout}.
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process still running after " + timeout + "; stderr: " + err);
    }
    return process.exitValue();
  }

  /** The process as the operating system sees it (its pid and command line). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  public List<String> stderr() {
    return err;
  }

  List<String> stdout() {
    return out;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static void pump(java.io.InputStream in, List<String> sink, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  sink.add(line);
                }
              } catch (IOException closed) {
                sink.add("[" + name + " closed: " + closed.getMessage() + "]");
              }
            },
            "oxbow-process-" + name);
    t.setDaemon(true);
    t.start();
  }
}
