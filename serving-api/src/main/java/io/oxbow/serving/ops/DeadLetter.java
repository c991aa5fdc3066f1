package io.oxbow.serving.ops;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One dead-letter record as {@code GET /api/v1/dlq} shows it. Fields other than the record's own
 * position and value come from its headers, read with the shared {@code DeadLetterHeaders} (null
 * when absent).
 *
 * @param topic the dead-letter topic
 * @param partition its partition
 * @param offset its offset
 * @param time when it was dead-lettered (header, else the record timestamp), ISO-8601
 * @param stage the stage that rejected it
 * @param reason the reason code
 * @param exceptionClass the exception class
 * @param message the exception message
 * @param sourceTopic the topic the record came from
 * @param sourcePartition its partition, as text
 * @param sourceOffset its offset, as text
 * @param raw the original value decoded as UTF-8 for display: invalid bytes become U+FFFD, control
 *     characters other than tab are written {@code \xNN}, at most 4096 characters
 * @param rawBytes the original value's length in bytes
 * @param truncated true when {@code raw} was cut at 4096 characters
 */
public record DeadLetter(
    String topic,
    int partition,
    long offset,
    String time,
    String stage,
    String reason,
    @JsonProperty("exception_class") String exceptionClass,
    String message,
    @JsonProperty("source_topic") String sourceTopic,
    @JsonProperty("source_partition") String sourcePartition,
    @JsonProperty("source_offset") String sourceOffset,
    String raw,
    @JsonProperty("raw_bytes") int rawBytes,
    boolean truncated) {}
