package io.oxbow.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code oxbow batch --set key=value} reaches {@link BatchConfig}, parsed and checked. */
class BatchCommandTest {
  private static BatchCommand parse(String... args) {
    BatchCommand command = new BatchCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void shouldPutSetPairsAndSharedKeysIntoTheConfig() {
    BatchCommand command =
        parse(
            "--set", "batch.allowed-lateness=3m",
            "--set", "oxbow.lake-dir=/srv/lake",
            "--set", "oxbow.views-file=/srv/views.yaml",
            "--set", "batch.dlq-topic=batch.dead");

    BatchConfig config = BatchConfig.from(command.source());

    assertThat(config.allowedLateness()).isEqualTo(Duration.ofMinutes(3));
    assertThat(config.lake().dir()).isEqualTo(Path.of("/srv/lake"));
    assertThat(config.viewsFile()).contains(Path.of("/srv/views.yaml"));
    assertThat(config.dlqTopic()).isEqualTo("batch.dead");
  }

  @Test
  void shouldRefuseAnUnknownKeyOrABadValueNamingTheKey() {
    assertThatThrownBy(() -> parse("--set", "serve.port=1").source())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("serve.port");
    assertThatThrownBy(() -> parse("--set", "batch.rotate-interval=soon").source())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.rotate-interval");
  }
}
