package io.oxbow.contracts.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {
  private static final Instant AT = Instant.parse("2026-12-05T07:00:00.123Z");

  @Test
  void shouldPinTheHeaderNamesThatDeadLetterTopicsHold() {
    assertThat(DeadLetterHeaders.NAMES)
        .containsExactly(
            "oxbow.dlq.stage",
            "oxbow.dlq.reason",
            "oxbow.dlq.column",
            "oxbow.dlq.exception.class",
            "oxbow.dlq.exception.message",
            "oxbow.dlq.source.topic",
            "oxbow.dlq.source.partition",
            "oxbow.dlq.source.offset",
            "oxbow.dlq.time");
    assertThat(Arrays.stream(DeadLetterStage.values()).map(DeadLetterStage::code))
        .containsExactly(
            "deserialize", "parse", "validate", "attribute", "process", "produce", "land");
  }

  @Test
  void shouldWriteEveryFieldAsUtf8TextWithAnIsoTime() {
    DeadLetter letter =
        DeadLetter.of(
                DeadLetterStage.PARSE,
                DeadLetterReason.TRUNCATED,
                new IllegalArgumentException("line ends at column 17 — before the status"),
                "access-logs.raw",
                3,
                42L,
                AT)
            .withColumn(17);

    assertThat(texts(DeadLetterHeaders.of(letter)))
        .containsExactly(
            Map.entry("oxbow.dlq.stage", "parse"),
            Map.entry("oxbow.dlq.reason", "TRUNCATED"),
            Map.entry("oxbow.dlq.column", "17"),
            Map.entry("oxbow.dlq.exception.class", "java.lang.IllegalArgumentException"),
            Map.entry("oxbow.dlq.exception.message", "line ends at column 17 — before the status"),
            Map.entry("oxbow.dlq.source.topic", "access-logs.raw"),
            Map.entry("oxbow.dlq.source.partition", "3"),
            Map.entry("oxbow.dlq.source.offset", "42"),
            Map.entry("oxbow.dlq.time", "2026-12-05T07:00:00.123Z"));
  }

  @Test
  void shouldReadBackEveryFieldItWrote() {
    for (DeadLetterStage stage : DeadLetterStage.values()) {
      for (DeadLetterReason reason : DeadLetterReason.values()) {
        DeadLetter letter =
            DeadLetter.of(
                stage, reason, new IllegalStateException("x"), "t", 2, 7_000_000_000L, AT);
        assertThat(DeadLetterHeaders.read(DeadLetterHeaders.of(letter))).isEqualTo(letter);
        assertThat(DeadLetterHeaders.read(DeadLetterHeaders.of(letter.withColumn(5))))
            .isEqualTo(letter.withColumn(5));
      }
    }
  }

  @Test
  void shouldKeepAnExceptionWithoutMessageReadableAndCutLongMessages() {
    DeadLetter none = undecodable(new IllegalStateException());
    assertThat(none.exceptionMessage()).isEqualTo("java.lang.IllegalStateException");
    DeadLetter longOne = undecodable(new IllegalStateException("y".repeat(5000)));
    assertThat(DeadLetterHeaders.read(DeadLetterHeaders.of(longOne)).exceptionMessage())
        .hasSize(DeadLetterHeaders.MAX_MESSAGE_CHARS);
  }

  @Test
  void shouldReadTheBatchLoadersFormerHeadersSoOldDeadLettersStillShow() {
    Headers old =
        headers(
            """
            oxbow.dlq.stage=batch-landing
            oxbow.dlq.reason=UNDECODABLE
            oxbow.dlq.exception=org.apache.kafka.common.errors.SerializationException
            oxbow.dlq.exception.message=access-logs.enriched-0@25: unknown magic byte
            oxbow.dlq.topic=access-logs.enriched
            oxbow.dlq.partition=0
            oxbow.dlq.offset=25
            oxbow.dlq.time=%d
            """
                .formatted(AT.toEpochMilli()));

    assertThat(DeadLetterHeaders.read(old))
        .isEqualTo(
            new DeadLetter(
                "land",
                "UNDECODABLE",
                null,
                "org.apache.kafka.common.errors.SerializationException",
                "access-logs.enriched-0@25: unknown magic byte",
                "access-logs.enriched",
                0,
                25L,
                AT));
  }

  @Test
  void shouldLeaveMissingOrUnreadableHeadersNull() {
    Headers partial =
        headers(
            """
            oxbow.dlq.stage=someday
            oxbow.dlq.source.offset=not a number
            oxbow.dlq.time=yesterday
            """);

    assertThat(DeadLetterHeaders.read(partial))
        .isEqualTo(new DeadLetter("someday", null, null, null, null, null, null, null, null));
  }

  private static DeadLetter undecodable(Exception error) {
    return DeadLetter.of(DeadLetterStage.LAND, DeadLetterReason.UNDECODABLE, error, "t", 0, 0, AT);
  }

  /** Headers from {@code name=value} lines. */
  private static Headers headers(String lines) {
    Headers headers = new RecordHeaders();
    lines
        .lines()
        .map(l -> l.split("=", 2))
        .forEach(nv -> headers.add(nv[0], nv[1].getBytes(StandardCharsets.UTF_8)));
    return headers;
  }

  private static Map<String, String> texts(Headers headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach(h -> out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
    return out;
  }
}
