package io.oxbow.batch.landing;

import java.util.Locale;
import java.util.Objects;

/**
 * One landed dataset: the topic it comes from, its folder under the lake root, and the record field
 * that holds its event time (UTC epoch millis, Avro {@code long} or {@code timestamp-millis}).
 *
 * @param topic the Kafka topic
 * @param dataset the folder name under the lake root
 * @param timeField the event-time field of the topic's records
 */
public record DatasetSpec(String topic, String dataset, String timeField) {

  /** Checks the names. */
  public DatasetSpec {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(timeField, "timeField");
    if (!dataset.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("dataset names are lower-case words: " + dataset);
    }
  }

  /**
   * The spec for {@code topic}: its dataset folder is the topic name with every run of characters
   * other than letters and digits replaced by {@code _} ({@code access-logs.enriched} lands in
   * {@code access_logs_enriched}).
   */
  public static DatasetSpec of(String topic, String timeField) {
    return new DatasetSpec(topic, datasetName(topic), timeField);
  }

  /** The dataset folder name of a topic. */
  public static String datasetName(String topic) {
    return topic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }

  /**
   * A spec from {@code topic:timeField} (as in {@code batch.datasets}).
   *
   * @throws IllegalArgumentException when the text is not of that shape
   */
  public static DatasetSpec parse(String text) {
    String[] parts = text.trim().split(":");
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException("expected topic:time-field, was \"" + text + "\"");
    }
    return of(parts[0].trim(), parts[1].trim());
  }
}
