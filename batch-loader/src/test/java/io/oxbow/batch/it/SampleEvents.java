package io.oxbow.batch.it;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.contracts.avro.AccessLogEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real access-log sample of the repository, parsed into events. */
public final class SampleEvents {
  private SampleEvents() {}

  /** The first {@code limit} parsed events of samples/access-logs/elastic_apache_logs.log. */
  public static List<AccessLogEvent> load(int limit) throws IOException {
    Path file =
        Path.of(
            System.getProperty("oxbow.root"), "samples", "access-logs", "elastic_apache_logs.log");
    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.COMBINED);
    List<AccessLogEvent> events = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (events.size() >= limit) {
        break;
      }
      if (parser.parse(line.getBytes(StandardCharsets.UTF_8), "sample")
          instanceof ParseResult.Parsed parsed) {
        AccessLogEvent event = parsed.event();
        // stand-in for the stream processor's enrichment: a country derived from the address
        String country = Math.floorMod(event.getClient().hashCode(), 3) == 0 ? "DE" : "US";
        events.add(AccessLogEvent.newBuilder(event).setCountry(country).build());
      }
    }
    return events;
  }
}
