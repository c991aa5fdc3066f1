package io.oxbow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code oxbow ingest --set key=value} reaches {@link IngestConfig}, parsed and checked. */
class IngestCommandTest {
  private static IngestCommand parse(String... args) {
    IngestCommand command = new IngestCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void shouldPutSetPairsAndSharedKeysIntoTheConfigWithNamedFlagsWinning() {
    IngestCommand command =
        parse(
            "--set", "ingest.max-body-bytes=16MiB",
            "--set", "oxbow.bootstrap-servers=kafka-1:9092",
            "--set", "ingest.port=9001",
            "--port", "9002");

    IngestConfig config = IngestConfig.from(command.source());

    assertThat(config.maxBodyBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(config.bootstrapServers()).isEqualTo("kafka-1:9092");
    assertThat(config.port()).isEqualTo(9002);
  }

  @Test
  void shouldRefuseAnUnknownKeyOrABadValueNamingTheKey() {
    assertThatThrownBy(() -> parse("--set", "ingest.max-body=1").source())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.max-body");
    assertThatThrownBy(() -> parse("--set", "ingest.writers=many").source())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.writers");
  }
}
