package io.oxbow.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicReplicationTest {

  @ParameterizedTest(name = "{0} broker(s): factor {1}, min ISR {2}")
  @CsvSource({"1, 1, 1", "2, 2, 1", "3, 3, 2", "5, 3, 2", "0, 1, 1"})
  void shouldDeriveAutomaticReplicationFromTheClusterSize(int brokers, int factor, int minIsr) {
    TopicReplication r = TopicReplication.resolve(ReplicationSettings.AUTOMATIC, brokers);

    assertThat(r.factor()).isEqualTo((short) factor);
    assertThat(r.minInsyncReplicas()).isEqualTo(minIsr);
  }

  @Test
  void shouldTakeWhatTheSettingsAskOverTheClusterSize() {
    ReplicationSettings settings =
        ReplicationSettings.from(
            ConfigSource.of(
                Map.of(),
                Map.of("OXBOW_REPLICATION_FACTOR", "2", "OXBOW_MIN_INSYNC_REPLICAS", "2"),
                java.util.Optional.empty()));

    TopicReplication r = TopicReplication.resolve(settings, 5);

    assertThat(r).isEqualTo(new TopicReplication((short) 2, 2));
  }

  @Test
  void shouldKeepAnAutomaticMinimumAtOneWhenTheFactorAskedIsOne() {
    ReplicationSettings settings = new ReplicationSettings(OptionalInt.of(1), OptionalInt.empty());

    assertThat(TopicReplication.resolve(settings, 3)).isEqualTo(new TopicReplication((short) 1, 1));
  }

  @Test
  void shouldRefuseAMinimumAboveTheFactorNamingBothSettings() {
    assertThatThrownBy(
            () ->
                ReplicationSettings.from(
                    ConfigSource.ofFlags(
                        Map.of("oxbow.replication-factor", "2", "oxbow.min-insync-replicas", "3"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("oxbow.min-insync-replicas 3")
        .hasMessageContaining("oxbow.replication-factor 2");
    ReplicationSettings minTwo = new ReplicationSettings(OptionalInt.empty(), OptionalInt.of(2));
    assertThatThrownBy(() -> TopicReplication.resolve(minTwo, 1))
        .hasMessageContaining("oxbow.min-insync-replicas 2 exceeds the replication factor 1");
  }

  @Test
  void shouldRefuseAValueThatIsNeitherAutoNorACount() {
    assertThatThrownBy(
            () ->
                ReplicationSettings.from(
                    ConfigSource.ofFlags(Map.of("oxbow.replication-factor", "three"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("oxbow.replication-factor")
        .hasMessageContaining("auto or a whole number");
  }

  @Test
  void shouldCreateTopicsWithTheFactorAndMinimumKeepingTheirOtherConfigs() {
    TopicReplication r = new TopicReplication((short) 3, 2);

    NewTopic t =
        r.apply(new NewTopic("views.speed.traffic", 6, (short) -1).configs(compactPolicy()));

    assertThat(t.replicationFactor()).isEqualTo((short) 3);
    assertThat(t.numPartitions()).isEqualTo(6);
    assertThat(t.configs())
        .containsEntry("min.insync.replicas", "2")
        .containsEntry("cleanup.policy", "compact");
    assertThat(r.streamsConfig())
        .containsEntry("replication.factor", 3)
        .containsEntry("topic.min.insync.replicas", "2");
  }

  @Test
  void shouldNameTheTopicAndBothValuesOfEachShortfall() {
    TopicReplication r = new TopicReplication((short) 3, 2);

    assertThat(r.shortfalls("access-logs.raw", 1, 1))
        .containsExactly(
            "topic access-logs.raw has replication factor 1, wanted 3",
            "topic access-logs.raw has min.insync.replicas 1, wanted 2");
    assertThat(r.shortfalls("access-logs.raw", 3, 2)).isEmpty();
    assertThat(r.shortfalls("access-logs.raw", 5, 3)).isEmpty();
  }

  private static Map<String, String> compactPolicy() {
    return Map.of("cleanup.policy", "compact");
  }
}
