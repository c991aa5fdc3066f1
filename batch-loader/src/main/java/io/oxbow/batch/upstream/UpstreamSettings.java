package io.oxbow.batch.upstream;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which stage writes the landed topics: its consumer group (the stream processor's application id)
 * and, per landed topic, the input topics it reads to write it. A landed topic without an entry has
 * no upstream (e.g. {@code access-logs.raw}, written by the ingest app).
 *
 * @param groupId the upstream consumer group ({@code batch.upstream-group-id}, default {@code
 *     oxbow-stream})
 * @param inputs per landed topic, the upstream's inputs ({@code batch.upstream-topics}, default
 *     {@code access-logs.enriched=access-logs.raw,orders.attributed=orders})
 */
public record UpstreamSettings(String groupId, Map<String, List<String>> inputs) {

  /** Copies the map. */
  public UpstreamSettings {
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("the upstream group id must not be empty");
    }
    inputs = Map.copyOf(inputs);
  }

  /** The upstream inputs of {@code landedTopic}; empty when it has no upstream. */
  public List<String> inputsOf(String landedTopic) {
    return inputs.getOrDefault(landedTopic, List.of());
  }

  /**
   * Parses {@code landed=input[+input],...}, e.g. {@code
   * access-logs.enriched=access-logs.raw,orders.attributed=orders}; an empty text means no landed
   * topic has an upstream.
   *
   * @throws IllegalArgumentException naming the entry that is not of that shape
   */
  public static Map<String, List<String>> parseInputs(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.split("=", -1);
      List<String> topics =
          parts.length == 2
              ? Arrays.stream(parts[1].split("\\+", -1)).map(String::trim).toList()
              : List.of();
      if (parts.length != 2
          || parts[0].isBlank()
          || topics.isEmpty()
          || topics.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException(
            "expected landed-topic=input-topic[+input-topic], was \"" + entry.trim() + "\"");
      }
      out.put(parts[0].trim(), topics);
    }
    return out;
  }
}
