package io.oxbow.runtime.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --kafka-config FILE} option of every command with Kafka clients: a properties file of
 * client settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) applied to each of the
 * command's producers, consumers and admin clients. A command mixes it in and hands {@link #file()}
 * to the {@code kafka.client-config} setting:
 *
 * <pre>{@code
 * @Mixin KafkaConfigOption kafkaConfig;
 * ...
 * flags.put(KafkaClientSecurity.CLIENT_CONFIG, kafkaConfig.file())
 * }</pre>
 */
public final class KafkaConfigOption {
  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description = "Kafka client properties (security.protocol, sasl.*, ssl.*) for every client.")
  Path file;

  /** The file given, or null when the option was not given (the setting's own sources apply). */
  public Path file() {
    return file;
  }
}
