package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OxbowCliTest {

  @Test
  void helpListsTheDemoFirstAndTheBroker() {
    Result result = run("--help");
    assertThat(result.exitCode).isZero();
    assertThat(result.out).contains("Usage: oxbow", "demo", "broker");
    assertThat(result.out.indexOf("demo")).isLessThan(result.out.indexOf("broker"));
  }

  @Test
  void versionNamesOxbowKafkaAndJava() {
    Result result = run("--version");
    assertThat(result.exitCode).isZero();
    assertThat(result.out).contains("oxbow ", "kafka-clients 4.", "java 17");
  }

  @Test
  void unknownCommandIsAUsageError() {
    Result result = run("frobnicate");
    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err).contains("Unmatched argument", "frobnicate");
  }

  @Test
  void badSettingIsNamedWithItsSource() {
    Result result = run("broker", "--port", "99999");
    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err).contains("broker.port (command line) = \"99999\"", "from 0 to 65535");
  }

  private static Result run(String... args) {
    CommandLine cli = OxbowCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int exitCode, String out, String err) {}
}
