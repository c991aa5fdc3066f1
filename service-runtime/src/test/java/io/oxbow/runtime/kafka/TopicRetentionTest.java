package io.oxbow.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The topics' time retention: 7 days by default, refused unless positive, append time on demand.
 */
class TopicRetentionTest {

  @Test
  void shouldKeepRecordsSevenDaysAfterTheyWereWrittenByDefault() {
    TopicRetention retention = TopicRetention.from(ConfigSource.ofFlags(Map.of()));

    assertThat(retention).isEqualTo(TopicRetention.DEFAULT);
    assertThat(retention.producedTime()).containsExactly(Map.entry("retention.ms", "604800000"));
    assertThat(retention.appendTime())
        .containsOnly(
            Map.entry("retention.ms", "604800000"),
            Map.entry("message.timestamp.type", "LogAppendTime"));
  }

  @Test
  void shouldRefuseARetentionThatIsNotPositiveNamingTheSetting() {
    for (String bad : new String[] {"0s", "-1", "soon"}) {
      assertThatThrownBy(
              () -> TopicRetention.from(ConfigSource.ofFlags(Map.of("oxbow.topic-retention", bad))))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("oxbow.topic-retention");
    }
    assertThat(
            TopicRetention.from(ConfigSource.ofFlags(Map.of("oxbow.topic-retention", "36h")))
                .producedTime())
        .containsEntry("retention.ms", "129600000");
  }
}
