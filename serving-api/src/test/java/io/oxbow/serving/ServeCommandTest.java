package io.oxbow.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code oxbow serve --set key=value} reaches {@link ServeConfig}, parsed and checked. */
class ServeCommandTest {
  private static ServeCommand parse(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void shouldPutSetPairsAndSharedKeysIntoTheConfig() {
    ServeCommand command =
        parse(
            "--set", "serve.max-query-rows=500",
            "--set", "oxbow.dlq-topic=dead.letters",
            "--set", "oxbow.lake-dir=/srv/lake",
            "--lake-dir", "/mnt/lake");

    ServeConfig config = ServeConfig.from(command.source());

    assertThat(config.queryLimits().maxRows()).isEqualTo(500);
    assertThat(config.dlqTopic()).isEqualTo("dead.letters");
    assertThat(config.lake().dir()).isEqualTo(Path.of("/mnt/lake"));
  }

  @Test
  void shouldRefuseAnUnknownKeyOrABadValueNamingTheKey() {
    assertThatThrownBy(() -> parse("--set", "serve.max-rows=5").source())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("serve.max-rows");
    assertThatThrownBy(() -> parse("--set", "serve.query-cache-bytes=lots").source())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("serve.query-cache-bytes");
  }
}
