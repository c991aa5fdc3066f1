package io.oxbow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The cluster flags of {@code oxbow broker}, read without starting a broker. */
class BrokerCommandTest {

  @Test
  void shouldReadTheClusterFlagsAsSettings() {
    BrokerCommand broker = new BrokerCommand();
    new CommandLine(broker)
        .parseArgs(
            "--node-id",
            "2",
            "--controller-port",
            "9095",
            "--controller-quorum-voters",
            "1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097",
            "--set",
            "broker.cluster-id=T3hib3dDbHVzdGVyMDAwMQ");

    ConfigSource source = broker.source();

    assertThat(source.get(BrokerCommand.NODE_ID)).isEqualTo(2);
    assertThat(source.get(BrokerCommand.CONTROLLER_PORT)).isEqualTo(9095);
    assertThat(source.get(BrokerCommand.CONTROLLER_QUORUM_VOTERS))
        .isEqualTo("1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097");
    assertThat(source.get(BrokerCommand.CLUSTER_ID)).isEqualTo("T3hib3dDbHVzdGVyMDAwMQ");
  }

  @Test
  void shouldRefuseAMalformedQuorumNamingTheSettingBeforeStarting() {
    BrokerCommand broker = new BrokerCommand();
    new CommandLine(broker).parseArgs("--controller-quorum-voters", "127.0.0.1:9093");

    assertThatThrownBy(broker::call)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("broker.controller-quorum-voters")
        .hasMessageContaining("id@host:port");
  }
}
