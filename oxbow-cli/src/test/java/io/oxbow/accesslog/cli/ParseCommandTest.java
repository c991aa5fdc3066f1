package io.oxbow.accesslog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.runtime.cli.OxbowSubcommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code oxbow parse} end to end: stdout events, stderr rejections and summary, exit codes. */
class ParseCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GOOD =
      "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET /a?b=1 HTTP/1.1\" 200 512 \"-\" \"curl/8.0\"";

  @TempDir Path dir;

  record Run(int exit, List<JsonNode> out, List<String> err) {
    JsonNode lastErr() throws IOException {
      return JSON.readTree(err.get(err.size() - 1));
    }
  }

  private static Run run(InputStream stdin, String... args) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new ParseCommand(stdin));
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int exit = cmd.execute(args);
    List<JsonNode> events = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      if (!line.isEmpty()) {
        events.add(JSON.readTree(line));
      }
    }
    List<String> errLines = err.toString().lines().toList();
    return new Run(exit, events, errLines);
  }

  private static Run run(String... args) throws IOException {
    return run(InputStream.nullInputStream(), args);
  }

  private static String sample(String name) {
    return Path.of(System.getProperty("oxbow.root"), "samples", "access-logs", name).toString();
  }

  @Test
  void shouldPrintOneEventPerLineAndASummaryForTheElasticSample() throws IOException {
    Run r = run("--summary", sample("elastic_apache_logs.log"));
    assertThat(r.exit()).isZero();
    assertThat(r.out()).hasSize(10_000);
    JsonNode first = r.out().get(0);
    assertThat(first.get("client").asText()).isEqualTo("83.149.9.216");
    assertThat(first.get("client_kind").asText()).isEqualTo("IPV4");
    assertThat(first.get("event_time").asLong()).isEqualTo(1_431_857_103_000L);
    assertThat(first.get("bytes").asLong()).isEqualTo(203_023L);
    assertThat(first.get("referrer").asText()).startsWith("http://semicomplete.com/");
    assertThat(first.get("format").asText()).isEqualTo("combined");
    assertThat(first.has("user_agent")).isTrue();
    assertThat(first.get("ident").isNull()).isTrue();
    assertThat(first.get("source").asText()).endsWith("elastic_apache_logs.log");
    assertThat(r.err()).hasSize(1);
    assertThat(r.lastErr().toString())
        .isEqualTo("{\"lines\":10000,\"parsed\":10000,\"rejected\":0,\"reasons\":{}}");
  }

  @Test
  void shouldReportRejectedLinesOnStderrAndKeepGoing() throws IOException {
    Path log = dir.resolve("mixed.log");
    String bad = GOOD.replace("17/May", "32/May");
    Files.writeString(log, GOOD + "\n" + bad + "\n\n" + "garbage\n" + GOOD);
    Run r = run("--summary", log.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).hasSize(2);
    assertThat(r.err())
        .containsExactly(
            "{\"line\":2,\"reason\":\"BAD_TIMESTAMP\",\"column\":15}",
            "{\"line\":3,\"reason\":\"EMPTY\",\"column\":1}",
            "{\"line\":4,\"reason\":\"TRUNCATED\",\"column\":8}",
            "{\"lines\":5,\"parsed\":2,\"rejected\":3,"
                + "\"reasons\":{\"EMPTY\":1,\"TRUNCATED\":1,\"BAD_TIMESTAMP\":1}}");
  }

  @Test
  void shouldReadGzipFilesAndNameTheFileWhenSeveralAreGiven() throws IOException {
    Path gz = dir.resolve("nginx.log.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(Path.of(sample("crowdsec_nginx_malformed_requests.log"))));
    }
    Path plain = dir.resolve("bad.log");
    Files.writeString(plain, "<html>\n");
    Run r = run("--summary", gz.toString(), plain.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).hasSize(12);
    assertThat(r.out()).allSatisfy(e -> assertThat(e.get("request_valid").asBoolean()).isFalse());
    assertThat(r.out().get(4).get("request").asText()).isEqualTo("HELP");
    assertThat(r.err().get(0))
        .isEqualTo(
            "{\"file\":\"" + plain + "\",\"line\":1,\"reason\":\"BAD_CLIENT\",\"column\":1}");
    assertThat(r.lastErr().get("lines").asInt()).isEqualTo(13);
  }

  @Test
  void shouldReadStandardInputForDashOrNoFile() throws IOException {
    byte[] input = (GOOD + "\n" + GOOD).getBytes(StandardCharsets.UTF_8);
    Run dash = run(new ByteArrayInputStream(input), "-");
    assertThat(dash.out()).hasSize(2);
    assertThat(dash.out().get(1).get("query").asText()).isEqualTo("b=1");
    assertThat(dash.out().get(1).get("source").isNull()).isTrue();
    Run none = run(new ByteArrayInputStream(input), "--format", "combined");
    assertThat(none.out()).hasSize(2);
    assertThat(none.err()).isEmpty();
  }

  @Test
  void shouldRejectOverlongLinesAndCarryOnWithTheNextLine() throws IOException {
    String longLine = GOOD.replace("curl/8.0", "x".repeat(100_000));
    byte[] input = (GOOD + "\n" + longLine + "\n" + GOOD + "\n").getBytes(StandardCharsets.UTF_8);
    Run r = run(new ByteArrayInputStream(input), "--max-line-bytes", "4096", "--summary");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).hasSize(2);
    assertThat(r.err().get(0)).isEqualTo("{\"line\":2,\"reason\":\"TOO_LONG\",\"column\":4097}");
    assertThat(r.lastErr().get("lines").asInt()).isEqualTo(3);
  }

  @Test
  void shouldAcceptAFormatString() throws IOException {
    byte[] input =
        "10.0.0.1 [17/May/2015:10:05:03 +0000] 404 0.250\n".getBytes(StandardCharsets.UTF_8);
    Run r =
        run(
            new ByteArrayInputStream(input),
            "--format",
            "$remote_addr [$time_local] $status $request_time");
    assertThat(r.exit()).isZero();
    assertThat(r.out().get(0).get("duration_micros").asLong()).isEqualTo(250_000L);
    assertThat(r.out().get(0).get("format").asText()).isEqualTo("custom");
  }

  @Test
  void shouldFailWithUsageErrorForABadFormat() throws IOException {
    Run r = run("--format", "%h %>s", sample("elastic_apache_logs.log"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(String.join("\n", r.err())).contains("Invalid --format").contains("has no time");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void shouldFailWithIoErrorForAMissingFile() throws IOException {
    Path missing = dir.resolve("missing.log");
    Run r = run(missing.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).containsExactly("oxbow parse: cannot read " + missing + ": no such file");
  }

  @Test
  void shouldBeDiscoverableAsAnOxbowSubcommand() {
    assertThat(ServiceLoader.load(OxbowSubcommand.class).stream().map(p -> p.type().getName()))
        .contains(ParseCommand.class.getName());
  }
}
