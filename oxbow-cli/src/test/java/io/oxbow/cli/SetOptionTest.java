package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.batch.BatchConfig;
import io.oxbow.cli.demo.DemoStack;
import io.oxbow.ingest.IngestConfig;
import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.serving.ServeConfig;
import io.oxbow.stream.StreamConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --set key=value} on the commands of this module: the demo passes it (and {@code --views})
 * to its services, replay and broker read it; an unknown key or a bad value stops the command with
 * an error naming the key. The services' own commands have a test each in their module.
 */
class SetOptionTest {
  private static <T> T parse(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void demoShouldPassSetPairsAndTheViewsFileToEveryService() {
    DemoCommand demo =
        parse(
            new DemoCommand(),
            "--set",
            "serve.max-query-rows=50",
            "--set",
            "stream.grace=9m",
            "--set",
            "batch.allowed-lateness=2m",
            "--set",
            "ingest.writers=2",
            "--views",
            "/etc/oxbow/views.yaml");
    Map<String, String> flags =
        DemoStack.serviceFlags(
            Path.of("/data"),
            0,
            "127.0.0.1:9092",
            "http://127.0.0.1:8081",
            Path.of("/k"),
            demo.givenSettings());
    ConfigSource source = ConfigSource.ofFlags(flags);

    assertThat(ServeConfig.from(source).queryLimits().maxRows()).isEqualTo(50);
    assertThat(StreamConfig.from(source).grace()).isEqualTo(Duration.ofMinutes(9));
    assertThat(BatchConfig.from(source).allowedLateness()).isEqualTo(Duration.ofMinutes(2));
    assertThat(IngestConfig.from(source).writers()).isEqualTo(2);
    Path views = Path.of("/etc/oxbow/views.yaml");
    assertThat(source.find(StreamConfig.VIEWS_FILE)).contains(views);
    assertThat(BatchConfig.from(source).viewsFile()).contains(views);
    assertThat(ServeConfig.from(source).viewsFile()).contains(views);
    assertThat(BatchConfig.from(source).lake().dir()).isEqualTo(Path.of("/data/lake"));
    assertThat(ServeConfig.from(source).lake().dir()).isEqualTo(Path.of("/data/lake"));
  }

  @Test
  void demoShouldRefuseAnUnknownKeyOrABadValueNamingTheKey() {
    assertThatThrownBy(() -> parse(new DemoCommand(), "--set", "serve.prot=1").givenSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("serve.prot");
    assertThatThrownBy(
            () -> parse(new DemoCommand(), "--set", "stream.grace=later").givenSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("stream.grace");
  }

  @Test
  void brokerShouldReadSetPairs() {
    BrokerCommand broker = parse(new BrokerCommand(), "--set", "broker.data-dir=/srv/kafka");

    assertThat(broker.source().get(BrokerCommand.DATA_DIR)).isEqualTo(Path.of("/srv/kafka"));
  }

  @Test
  void loadGeoIpShouldRefuseASettingItDoesNotReadWithExitCode2() {
    StringWriter err = new StringWriter();

    int code =
        OxbowCli.commandLine()
            .setErr(new PrintWriter(err))
            .execute("load-geoip", "--set", "stream.grace=1m");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("stream.grace").contains("load-geoip");
  }

  @Test
  void replayShouldReadSetPairsAndRefuseUnknownKeysWithExitCode2() {
    StringWriter err = new StringWriter();
    CommandLine cli = OxbowCli.commandLine().setErr(new PrintWriter(err));

    int unknown = cli.execute("replay", "--to", "http://127.0.0.1:1", "--set", "replay.key=x");
    assertThat(unknown).isEqualTo(2);
    assertThat(err.toString()).contains("replay.key");

    // the key file given by --set is read: its absence is reported under its key
    int missing =
        cli.execute(
            "replay",
            "--to",
            "http://127.0.0.1:1",
            "--set",
            "replay.api-key-file=/nonexistent/oxbow-key");
    assertThat(missing).isEqualTo(2);
    assertThat(err.toString()).contains("replay.api-key-file");
  }
}
