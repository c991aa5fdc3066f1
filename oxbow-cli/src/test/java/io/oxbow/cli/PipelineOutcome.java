package io.oxbow.cli;

import static io.oxbow.cli.ReferenceRun.countBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.batch.it.LakeChecks;
import io.oxbow.batch.landing.DatasetSpec;
import io.oxbow.contracts.TopicNames;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.Order;
import io.oxbow.contracts.avro.RawLogLine;
import io.oxbow.lake.LocalLakeStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a user can see of a pipeline run, read directly: the raw, enriched and orders topics
 * (read_committed), the lake (manifests, file names, and DuckDB over the Parquet files), and the
 * serving API's {@code traffic} answer; and what the sent lines make of them.
 */
final class PipelineOutcome {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TopicTool topics;
  private final Path lake;
  private final HttpClient http = HttpClient.newHttpClient();

  PipelineOutcome(TopicTool topics, Path lake) {
    this.topics = topics;
    this.lake = lake;
  }

  /** The sent lines as {@code source line}, counted (a line sent twice counts 2). */
  static Map<String, Long> sent(List<SampleReplay.Line> lines) {
    return countBy(lines, l -> l.source() + " " + latin1(l.bytes()));
  }

  /**
   * The enriched rows the sent lines make: those the parser takes whose status is 100..599 (the
   * stream processor's validation; the others are dead letters), as {@link #row} identities.
   */
  static Map<String, Long> expectedEnriched(List<SampleReplay.Line> lines) {
    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.AUTO);
    List<AccessLogEvent> parsed =
        lines.stream()
            .map(l -> parser.parse(l.bytes(), l.source()))
            .filter(ParseResult.Parsed.class::isInstance)
            .map(r -> ((ParseResult.Parsed) r).event())
            .filter(e -> e.getStatus() >= 100 && e.getStatus() <= 599)
            .toList();
    return countBy(parsed, PipelineOutcome::row);
  }

  /** The raw topic's lines as {@code source line}, counted. */
  Map<String, Long> rawLines() {
    return countBy(
        topics.values(TopicNames.ACCESS_LOGS_RAW, RawLogLine.class),
        r -> r.getSource() + " " + latin1(r.getLine()));
  }

  /** The enriched topic's records as {@link #row} identities, counted. */
  Map<String, Long> enrichedRows() {
    return countBy(enriched(), PipelineOutcome::row);
  }

  /** The enriched records per UTC hour of their event time: the direct count. */
  SortedMap<Instant, Long> enrichedHours() {
    return enriched().stream()
        .collect(
            Collectors.groupingBy(
                e -> e.getEventTime().truncatedTo(ChronoUnit.HOURS),
                TreeMap::new,
                Collectors.counting()));
  }

  /** Order ids of the orders topic, counted. */
  Map<String, Long> orderIds() {
    return countBy(topics.values(TopicNames.ORDERS, Order.class), Order::getOrderId);
  }

  /**
   * Asserts the lake holds {@code topic} exactly: every partition's manifest reached the offset
   * after its last committed record, its files tile the offsets from 0 without gap or overlap, and
   * DuckDB counts {@code rows} rows in the dataset's Parquet files.
   */
  void assertLanded(String topic, long rows) throws Exception {
    Map<Integer, Long> ends = afterLastRecord(topic);
    String dataset = DatasetSpec.datasetName(topic);
    LocalLakeStorage storage = new LocalLakeStorage(lake);
    assertThat(LakeChecks.committedUpTo(storage, dataset, topic, ends))
        .as("%s landed up to %s", topic, ends)
        .isTrue();
    LakeChecks.assertTiled(storage, dataset, topic, ends);
    String glob = LakeChecks.glob(lake.toAbsolutePath(), dataset);
    assertThat(duckCount(glob)).as("rows of %s in the lake (DuckDB)", dataset).isEqualTo(rows);
  }

  /**
   * DuckDB's count of the rows of the files matching {@code glob}. The compactor merges a closed
   * hour's small files into one and deletes them: a file listed by the glob and deleted before it
   * is read makes the count fail as not (yet) settled, to be counted again.
   */
  private static long duckCount(String glob) throws SQLException {
    try {
      return LakeChecks.duckLong("select count(*) from read_parquet('" + glob + "')");
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("No such file")) {
        throw new AssertionError("a file was merged away while DuckDB read the lake", e);
      }
      throw e;
    }
  }

  /**
   * The {@code requests} of the {@code traffic} view per hour as {@code api} (the serving API's
   * {@code /api/v1}) answers them, hour by hour over every UTC day of {@code hours}; hours without
   * requests left out.
   */
  SortedMap<Instant, Long> servedHours(String api, SortedSet<Instant> hours) throws Exception {
    SortedSet<Instant> days = new TreeSet<>();
    hours.forEach(
        h -> days.add(h.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant()));
    SortedMap<Instant, Long> served = new TreeMap<>();
    for (Instant day : days) {
      JsonNode answer = query(api, day, day.plus(1, ChronoUnit.DAYS), "hour").path("rows");
      for (JsonNode row : answer) {
        long requests = row.path("metrics").path("requests").asLong();
        if (requests != 0) {
          served.put(Instant.parse(row.path("window_start").asText()), requests);
        }
      }
    }
    return served;
  }

  /** The {@code requests} of the {@code traffic} view over {@code [from, to)} in one bucket. */
  long servedTotal(String api, Instant from, Instant to) throws Exception {
    JsonNode rows = query(api, from, to, "all").path("rows");
    return rows.isEmpty() ? 0 : rows.get(0).path("metrics").path("requests").asLong();
  }

  /** The answer's {@code sources}: the part of {@code [from, to)} each layer answered. */
  String servedSources(String api, Instant from, Instant to) throws Exception {
    return query(api, from, to, "all").path("sources").toString();
  }

  private JsonNode query(String api, Instant from, Instant to, String granularity)
      throws Exception {
    URI uri =
        URI.create(
            api
                + "/views/traffic/query?metrics=requests&granularity="
                + granularity
                + "&from="
                + from
                + "&to="
                + to);
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s: %s", uri, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /**
   * Per partition, the offset after its last committed record: where the landed files end (a
   * transactional topic's last offset is a commit marker, which no file covers).
   */
  private Map<Integer, Long> afterLastRecord(String topic) {
    Map<Integer, Long> ends = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : topics.readAll(topic)) {
      ends.merge(r.partition(), r.offset() + 1, Math::max);
    }
    return ends;
  }

  private List<AccessLogEvent> enriched() {
    return topics.values(TopicNames.ACCESS_LOGS_ENRICHED, AccessLogEvent.class);
  }

  /** The fields that identify an enriched event: where it came from and what the line said. */
  private static String row(AccessLogEvent e) {
    return String.join(
        "|",
        String.valueOf(e.getSource()),
        e.getClient(),
        Long.toString(e.getEventTime().toEpochMilli()),
        String.valueOf(e.getRequest()),
        Integer.toString(e.getStatus()),
        Integer.toString(e.getLineBytes()));
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String latin1(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return latin1(bytes);
  }
}
