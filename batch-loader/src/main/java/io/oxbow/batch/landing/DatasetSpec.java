package io.oxbow.batch.landing;

import java.util.Locale;
import java.util.Objects;

/**
 * One landed dataset: the topic it comes from, its folder under the lake root, the record field
 * that holds its event time (UTC epoch millis, Avro {@code long} or {@code timestamp-millis}), and
 * which view source it feeds.
 *
 * @param topic the Kafka topic
 * @param dataset the folder name under the lake root
 * @param timeField the event-time field of the topic's records
 * @param viewSource the view source ({@code source:} of a view definition, i.e. its default topic
 *     name such as {@code access-logs.enriched}) whose batch views fold this dataset; by default
 *     the topic name itself
 */
public record DatasetSpec(String topic, String dataset, String timeField, String viewSource) {

  /** Checks the names. */
  public DatasetSpec {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(timeField, "timeField");
    Objects.requireNonNull(viewSource, "viewSource");
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
    return new DatasetSpec(topic, datasetName(topic), timeField, topic);
  }

  /** The dataset folder name of a topic. */
  public static String datasetName(String topic) {
    return topic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }

  /** This dataset feeding the views of {@code source} (a view definition's source id). */
  public DatasetSpec feeding(String source) {
    return new DatasetSpec(topic, dataset, timeField, source);
  }

  /**
   * A spec from {@code topic:timeField} or {@code topic:timeField:viewSource} (as in {@code
   * batch.datasets}).
   *
   * @throws IllegalArgumentException when the text is not of that shape
   */
  public static DatasetSpec parse(String text) {
    String[] parts = text.trim().split(":");
    if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException(
          "expected topic:time-field[:view-source], was \"" + text + "\"");
    }
    DatasetSpec spec = of(parts[0].trim(), parts[1].trim());
    return parts.length == 3 ? spec.feeding(parts[2].trim()) : spec;
  }
}
