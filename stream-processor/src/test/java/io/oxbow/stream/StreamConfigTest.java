package io.oxbow.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.stream.enrich.Cidr;
import io.oxbow.stream.enrich.IpAddresses;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamConfigTest {
  @Test
  void shouldReadDefaultsAndTurnThemIntoExactlyOnceStreamsProperties() {
    StreamConfig config = StreamConfig.from(ConfigSource.ofFlags(Map.of()));
    assertThat(config.grace()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.attributionWindow()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.topics()).isEqualTo(StreamConfig.Topics.DEFAULT);

    Properties p = config.streamsProperties();
    assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
    assertThat(p.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG))
        .isEqualTo(true);
    assertThat(p.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG))
        .isEqualTo("access-logs.dlq");
    assertThat(p.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetteringExceptionHandlers.Deserialization.class);
    assertThat(p.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetteringExceptionHandlers.Processing.class);
    assertThat(p.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetteringExceptionHandlers.Production.class);
    assertThat(p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(1);
  }

  @Test
  void shouldGiveEveryKafkaStreamsClientTheClientSecurity() {
    StreamConfig config =
        StreamConfig.from(
            ConfigSource.ofFlags(
                Map.of(
                    "kafka.client.security.protocol", "SASL_SSL",
                    "kafka.client.sasl.mechanism", "SCRAM-SHA-512",
                    "kafka.client.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                            + " username=\"oxbow\" password=\"secret\";")));
    StreamsConfig streams = new StreamsConfig(config.streamsProperties());
    List<Map<String, Object>> clients =
        List.of(
            streams.getMainConsumerConfigs("oxbow-stream", "main", 0),
            streams.getRestoreConsumerConfigs("restore"),
            streams.getGlobalConsumerConfigs("global"),
            streams.getProducerConfigs("producer"),
            streams.getAdminConfigs("admin"));
    for (Map<String, Object> client : clients) {
      assertThat(client)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsKey("sasl.jaas.config");
    }
  }

  @Test
  void shouldRunTheConfiguredNumberOfStreamThreads() {
    StreamConfig config = StreamConfig.from(ConfigSource.ofFlags(Map.of("stream.threads", "4")));
    assertThat(config.streamsProperties().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG))
        .isEqualTo(4);
    assertThatThrownBy(() -> StreamConfig.from(ConfigSource.ofFlags(Map.of("stream.threads", "0"))))
        .hasMessageContaining("stream.threads");
  }

  @Test
  void shouldNameTheSettingAndItsOriginInErrors() {
    ConfigSource env =
        ConfigSource.of(
            Map.of(),
            Map.of("OXBOW_STREAM_INTERNAL_CIDRS", "10.0.0.0/8, 300.1.2.3/8"),
            Optional.empty());
    assertThatThrownBy(() -> StreamConfig.from(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("stream.internal-cidrs (env OXBOW_STREAM_INTERNAL_CIDRS)")
        .hasMessageContaining("300.1.2.3/8");
    assertThatThrownBy(
            () -> StreamConfig.from(ConfigSource.ofFlags(Map.of("stream.grace", "soon"))))
        .hasMessageContaining("stream.grace (command line) = \"soon\"");
  }

  @Test
  void shouldPrefixEveryTopic() {
    StreamConfig config =
        StreamConfig.from(ConfigSource.ofFlags(Map.of("stream.topic-prefix", "staging.")));
    assertThat(config.topics().raw()).isEqualTo("staging.access-logs.raw");
    assertThat(config.topics().speedView("traffic")).isEqualTo("staging.views.speed.traffic");
  }

  @Test
  void shouldMatchAddressesAgainstIpv4AndIpv6Blocks() {
    assertThat(Cidr.parse("100.64.0.0/10").contains(IpAddresses.require("100.127.255.255")))
        .isTrue();
    assertThat(Cidr.parse("100.64.0.0/10").contains(IpAddresses.require("100.128.0.0"))).isFalse();
    assertThat(Cidr.parse("fc00::/7").contains(IpAddresses.require("fdff::1"))).isTrue();
    assertThat(Cidr.parse("fc00::/7").contains(IpAddresses.require("fe00::1"))).isFalse();
    assertThat(IpAddresses.format(Cidr.parse("10.1.0.0/16").last())).isEqualTo("10.1.255.255");
    assertThat(IpAddresses.parse("example.com")).isEmpty();
    assertThat(IpAddresses.parse("1.2.3")).isEmpty();
    assertThat(IpAddresses.parse("[2001:db8::1]")).isPresent();
  }
}
