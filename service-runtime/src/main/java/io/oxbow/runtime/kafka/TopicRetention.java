package io.oxbow.runtime.kafka;

import io.oxbow.runtime.config.ConfigException;
import io.oxbow.runtime.config.ConfigSource;
import io.oxbow.runtime.config.DeploymentSettings;
import io.oxbow.runtime.config.Setting;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The time retention of the topics Oxbow creates for its data ({@code oxbow.topic-retention},
 * default 7 days): how long a record stays after it was <em>written</em>. The batch layer needs a
 * record only until it is landed (seconds, or the length of an outage), and rebuilds views from the
 * lake, not from the topics ({@code --recompute} goes back as far as the landed rows).
 *
 * <p>Kafka judges time retention by record timestamps. Records whose timestamp is when they were
 * produced (the raw and orders topics, written by the ingest app) are judged correctly with the
 * default {@code CreateTime}. Records that carry their event time as timestamp (the enriched and
 * attributed topics, and dead letters copied from them) would be judged by event time, so a replay
 * of last year's logs would be deleted at the next retention check, before it is landed: those
 * topics are created with {@code message.timestamp.type=LogAppendTime}, which makes the broker
 * stamp each record with the time it was appended. Whoever needs a record's event time reads it
 * from the value (the batch loader's {@code event_time}, the stream processor's page-view source).
 *
 * @param retention how long a record is kept after it was written
 */
public record TopicRetention(Duration retention) {
  /** {@code oxbow.topic-retention}. */
  public static final Setting<Duration> RETENTION = DeploymentSettings.TOPIC_RETENTION;

  /** The default, 7 days. */
  public static final TopicRetention DEFAULT = new TopicRetention(Duration.ofDays(7));

  /** Refuses a retention that is not positive. */
  public TopicRetention {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException(
          RETENTION.key() + " must be a positive duration such as 7d, not " + retention);
    }
  }

  /**
   * Reads {@code oxbow.topic-retention}.
   *
   * @throws ConfigException naming the setting when it is not a positive duration
   */
  public static TopicRetention from(ConfigSource source) {
    try {
      return new TopicRetention(source.get(RETENTION));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** The configs of a topic whose records are stamped when produced: {@code retention.ms}. */
  public Map<String, String> producedTime() {
    return Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()));
  }

  /**
   * The configs of a topic whose records carry their event time: {@code retention.ms} and {@code
   * message.timestamp.type=LogAppendTime}, so retention counts from when a record was written.
   */
  public Map<String, String> appendTime() {
    return Map.of(
        TopicConfig.RETENTION_MS_CONFIG,
        String.valueOf(retention.toMillis()),
        TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
        "LogAppendTime");
  }
}
