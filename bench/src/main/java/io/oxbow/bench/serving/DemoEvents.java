package io.oxbow.bench.serving;

import io.oxbow.accesslog.AccessLogParser;
import io.oxbow.accesslog.LogFormat;
import io.oxbow.accesslog.ParseResult;
import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.stream.enrich.IpAddresses;
import io.oxbow.stream.enrich.UserAgentClassifier;
import io.oxbow.stream.geoip.GeoIpCsv;
import io.oxbow.stream.geoip.GeoIpLookup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The demo's events: the elastic sample ({@code samples/access-logs/elastic_apache_logs.log})
 * parsed as the ingest and stream stages do (combined format), with the country from the demo's
 * geo-IP files ({@code samples/geoip/*.csv.gz}) and the bot flag from the user agent, kept when
 * their event time falls in a range. The stream processor's internal-traffic filter is not applied.
 */
final class DemoEvents {
  private DemoEvents() {}

  /** The sample's events with event time in {@code [from, to)}, read from {@code samples}. */
  static List<AccessLogEvent> read(Path samples, Instant from, Instant to) throws IOException {
    TreeMap<byte[], GeoIpCsv.Range> ranges = new TreeMap<>(Arrays::compareUnsigned);
    List<Path> geo = new ArrayList<>();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(samples.resolve("geoip"), "*.csv.gz")) {
      files.forEach(geo::add);
    }
    GeoIpCsv.read(geo, r -> ranges.put(r.startBytes(), r));
    UserAgentClassifier agents = new UserAgentClassifier(10_000);
    AccessLogParser parser = AccessLogParser.forFormat(LogFormat.COMBINED);
    List<AccessLogEvent> events = new ArrayList<>();
    for (String line :
        Files.readAllLines(
            samples.resolve("access-logs/elastic_apache_logs.log"), StandardCharsets.ISO_8859_1)) {
      if (parser.parse(line.getBytes(StandardCharsets.ISO_8859_1), "demo")
          instanceof ParseResult.Parsed parsed) {
        AccessLogEvent event = parsed.event();
        if (!event.getEventTime().isBefore(from) && event.getEventTime().isBefore(to)) {
          event.put("country", country(ranges, event.getClient()));
          event.put("is_bot", agents.classify(event.getUserAgent()).bot());
          events.add(event);
        }
      }
    }
    return events;
  }

  private static String country(TreeMap<byte[], GeoIpCsv.Range> ranges, String client) {
    Optional<byte[]> address = IpAddresses.parse(client);
    if (address.isEmpty()) {
      return GeoIpLookup.UNKNOWN;
    }
    Map.Entry<byte[], GeoIpCsv.Range> floor = ranges.floorEntry(address.get());
    return floor != null && Arrays.compareUnsigned(address.get(), floor.getValue().endBytes()) <= 0
        ? floor.getValue().country()
        : GeoIpLookup.UNKNOWN;
  }
}
