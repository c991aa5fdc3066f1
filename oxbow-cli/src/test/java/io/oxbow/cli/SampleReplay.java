package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bundled sample logs sent by two {@code oxbow replay} processes, one to each ingest instance,
 * each failing over to the other: the first half of {@code elastic_apache_logs.log} to the first
 * ingest URL, its second half and the malformed-request samples to the second. Event times are kept
 * (2015-05-17..20 and two hours of 2023), sent at {@link #SPEED} times their pace (about 2.5
 * minutes), with the orders {@code replay} derives from them.
 */
final class SampleReplay implements AutoCloseable {
  /** Speed factor: 41 hours of the sample's first half in about 150 s. */
  static final int SPEED = 1000;

  private static final Path SAMPLES =
      Path.of(System.getProperty("oxbow.root", "..")).resolve("samples/access-logs");
  private static final Duration RUN = Duration.ofMinutes(10);

  /** One line as sent: its file name (the raw record's source) and its bytes. */
  record Line(String source, byte[] bytes) {}

  private final List<Path> firstFiles;
  private final List<Path> secondFiles;
  private final List<OxbowProcess> replays = new ArrayList<>();

  private SampleReplay(List<Path> firstFiles, List<Path> secondFiles) {
    this.firstFiles = firstFiles;
    this.secondFiles = secondFiles;
  }

  /** Writes the two halves of the elastic sample into {@code dir}. */
  static SampleReplay prepare(Path dir) throws IOException {
    List<byte[]> elastic = lines(Files.readAllBytes(SAMPLES.resolve("elastic_apache_logs.log")));
    int half = elastic.size() / 2;
    Path first = write(dir.resolve("elastic-first-half.log"), elastic.subList(0, half));
    Path second =
        write(dir.resolve("elastic-second-half.log"), elastic.subList(half, elastic.size()));
    return new SampleReplay(
        List.of(first),
        List.of(
            second,
            SAMPLES.resolve("crowdsec_apache2_malformed_requests.log"),
            SAMPLES.resolve("crowdsec_nginx_malformed_requests.log")));
  }

  /** Every line the two replays send, with its source. */
  List<Line> lines() throws IOException {
    List<Line> out = new ArrayList<>();
    for (Path file : concat(firstFiles, secondFiles)) {
      String source = file.getFileName().toString();
      lines(Files.readAllBytes(file)).forEach(bytes -> out.add(new Line(source, bytes)));
    }
    return out;
  }

  /**
   * Starts both replays: the first half to {@code first} then {@code second}, the rest reversed.
   */
  void start(Path dir, String first, String second, List<String> jvmOptions) throws IOException {
    replays.add(replay(dir.resolve("replay-1.json"), firstFiles, first + "," + second, jvmOptions));
    replays.add(
        replay(dir.resolve("replay-2.json"), secondFiles, second + "," + first, jvmOptions));
  }

  /** Waits until both replays exit with 0 and returns the lines they report acknowledged. */
  long awaitAcknowledged() throws InterruptedException {
    long acknowledged = 0;
    for (OxbowProcess replay : replays) {
      assertThat(replay.awaitExit(RUN))
          .as("replay exit code; stderr: %s", replay.stderr())
          .isZero();
      String prefix = "replay: done (";
      // the last line may still be in the pipe when the process has exited
      String done =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> replay.stdout().stream().filter(l -> l.startsWith(prefix)).findFirst(),
                  Optional::isPresent)
              .orElseThrow()
              .substring(prefix.length());
      acknowledged += Long.parseLong(done.substring(0, done.indexOf(' ')));
    }
    return acknowledged;
  }

  /** The replays' log lines telling of a fail-over from one ingest URL to the other, and why. */
  List<String> failovers() {
    return replays.stream()
        .flatMap(r -> r.stderr().stream())
        .filter(l -> l.contains("failing over to"))
        .toList();
  }

  private static OxbowProcess replay(
      Path state, List<Path> files, String to, List<String> jvmOptions) throws IOException {
    List<String> args = new ArrayList<>(List.of("replay", "--to", to, "--keep-time"));
    args.addAll(List.of("--speed", String.valueOf(SPEED), "--state", state.toString(), "--logs"));
    files.forEach(f -> args.add(f.toString()));
    // INFO: the client's fail-overs are logged at that level
    return OxbowProcess.start(
        jvmOptions, Map.of("OXBOW_LOG_LEVEL", "INFO"), args.toArray(new String[0]));
  }

  /** The lines of a file as {@code replay} reads them: split at LF, a CR before it dropped. */
  private static List<byte[]> lines(byte[] content) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= content.length; i++) {
      if (i == content.length && start == content.length) {
        break;
      }
      if (i == content.length || content[i] == '\n') {
        int end = i > start && content[i - 1] == '\r' ? i - 1 : i;
        out.add(Arrays.copyOfRange(content, start, end));
        start = i + 1;
      }
    }
    return out;
  }

  private static Path write(Path file, List<byte[]> lines) throws IOException {
    try (var out = Files.newOutputStream(file)) {
      for (byte[] line : lines) {
        out.write(line);
        out.write('\n');
      }
    }
    return file;
  }

  private static List<Path> concat(List<Path> a, List<Path> b) {
    List<Path> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Override
  public void close() {
    replays.forEach(OxbowProcess::close);
  }
}
