package io.oxbow.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code oxbow} service run as a process that a test kills with SIGKILL and starts again with
 * the same command (same arguments, environment and state), timing each recovery: from the kill to
 * the service's ready line on stdout.
 */
final class RestartableService implements AutoCloseable {
  private static final Duration START = Duration.ofMinutes(3);

  private final String name;
  private final String readyLine;
  private final List<String> jvmOptions;
  private final Map<String, String> env;
  private final String[] args;
  private final List<OxbowProcess> processes = new ArrayList<>();
  private final List<Duration> recoveries = new ArrayList<>();
  private OxbowProcess current;
  private long killedAt = -1;
  private boolean readySeen;

  RestartableService(String name, String readyLine, Map<String, String> env, String... args) {
    this(name, readyLine, List.of(), env, args);
  }

  /** A service whose JVM runs with {@code jvmOptions} (e.g. {@code -Xmx256m}). */
  RestartableService(
      String name,
      String readyLine,
      List<String> jvmOptions,
      Map<String, String> env,
      String... args) {
    this.name = name;
    this.readyLine = readyLine;
    this.jvmOptions = jvmOptions;
    this.env = env;
    this.args = args;
  }

  /** Starts the service (again). */
  RestartableService start() throws Exception {
    current = OxbowProcess.start(jvmOptions, env, args);
    processes.add(current);
    readySeen = false;
    return this;
  }

  /**
   * Waits until the running process prints its ready line; the first time after a kill, records the
   * recovery time. Returns the rest of the ready line.
   */
  String awaitReady() {
    String rest;
    try {
      rest = current.awaitLine(readyLine, START);
    } catch (RuntimeException e) {
      List<String> log = current.stderr();
      throw new AssertionError(
          name
              + " did not become ready after "
              + kills()
              + " kills; the end of its log:\n"
              + String.join("\n", log.subList(Math.max(0, log.size() - 15), log.size())),
          e);
    }
    if (!readySeen && killedAt >= 0) {
      recoveries.add(Duration.ofNanos(System.nanoTime() - killedAt));
      killedAt = -1;
    }
    readySeen = true;
    return rest;
  }

  /** True once the running process printed its ready line (without waiting). */
  boolean isReady() {
    return current.stdoutHas(readyLine);
  }

  /** Waits for a log line of the running process containing {@code text}. */
  void awaitLog(String text) {
    current.awaitLog(text, START);
  }

  /**
   * SIGKILL, then the same command again at once. A kill of a process that never became ready
   * leaves the earlier kill's recovery unmeasured (it did not recover before this kill).
   */
  void killAndRestart() throws Exception {
    kill();
    start();
  }

  /** SIGKILL, leaving the service down until {@link #start()}; the recovery is timed from here. */
  void kill() throws InterruptedException {
    current.kill();
    killedAt = System.nanoTime();
  }

  /** Recovery times measured so far (kill to ready), in kill order. */
  List<Duration> recoveries() {
    return recoveries;
  }

  /** Kills so far. */
  int kills() {
    return processes.size() - 1;
  }

  /** How many of this service's processes wrote a stderr line containing {@code text}. */
  long processesLogging(String text) {
    return processes.stream()
        .filter(p -> p.stderr().stream().anyMatch(l -> l.contains(text)))
        .count();
  }

  /** Whether the running process is alive. */
  boolean isAlive() {
    return current.isAlive();
  }

  /** The running process's stderr (logs). */
  List<String> stderr() {
    return current.stderr();
  }

  String name() {
    return name;
  }

  @Override
  public void close() {
    processes.forEach(OxbowProcess::close);
  }
}
