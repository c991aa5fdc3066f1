package io.oxbow.bench.serving;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Seeded synthetic access-log traffic of one site, as the stream processor would land it (enriched
 * {@code AccessLogEvent} rows as generic records, event time in epoch millis):
 *
 * <ul>
 *   <li><b>rate</b>: {@code perMinute} requests a minute on average over a weekday, in a diurnal
 *       shape (a sine over the UTC day, lowest at 04:00 with 0.4x and highest at 16:00 with 1.6x),
 *       weekends at 0.7x, and each minute's count drawn around that mean (plus or minus 20%);
 *   <li><b>clients</b>: 200,000 IPv4 addresses, each in one of 30 countries (Zipf-like weights, the
 *       first about a fifth of all clients); every 13th client is a bot;
 *   <li><b>requests</b>: 500 paths (70% of requests on the first 20), status 85% 200, 6% 304, 4%
 *       301, 3% 404, 2% 500, response bytes log-normal around 6 KB.
 * </ul>
 *
 * <p>Each hour is drawn from its own seed (the traffic's seed and the hour), so any range can be
 * regenerated alone and gives the same events as a whole year.
 */
final class SyntheticTraffic {
  /** The countries, most frequent first. */
  static final List<String> COUNTRIES =
      List.of(
          "US", "DE", "GB", "FR", "IN", "BR", "JP", "CA", "NL", "ES", "IT", "PL", "SE", "AU", "CN",
          "RU", "MX", "KR", "TR", "ID", "CH", "BE", "AT", "NO", "DK", "FI", "IE", "PT", "CZ", "ZA");

  private static final int CLIENTS = 200_000;
  private static final int PATHS = 500;
  private static final int[] STATUS_CUMULATIVE = {85, 91, 95, 98, 100};
  private static final int[] STATUSES = {200, 304, 301, 404, 500};
  private static final long HOUR_MS = 3_600_000L;
  private static final Schema SCHEMA = AccessLogEvent.getClassSchema();

  private final long seed;
  private final int perMinute;
  private final byte[] clientCountry = new byte[CLIENTS];
  private final String[] paths = new String[PATHS];
  private final GenericData.EnumSymbol ipv4;

  /**
   * Traffic at {@code perMinute} requests a minute on average (weekdays), drawn from {@code seed}.
   */
  SyntheticTraffic(long seed, int perMinute) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("perMinute must be at least 1, was " + perMinute);
    }
    this.seed = seed;
    this.perMinute = perMinute;
    double[] cumulative = new double[COUNTRIES.size()];
    double total = 0;
    for (int i = 0; i < cumulative.length; i++) {
      total += 1 / Math.pow(i + 1, 1.1);
      cumulative[i] = total;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int c = 0; c < CLIENTS; c++) {
      int at = Arrays.binarySearch(cumulative, random.nextDouble() * total);
      clientCountry[c] = (byte) (at >= 0 ? at : -at - 1);
    }
    for (int p = 0; p < PATHS; p++) {
      paths[p] = p == 0 ? "/" : "/page/" + p;
    }
    ipv4 = new GenericData.EnumSymbol(ClientKind.getClassSchema(), ClientKind.IPV4.name());
  }

  /** Requests a minute on average on a weekday. */
  int perMinute() {
    return perMinute;
  }

  /** The seed. */
  long seed() {
    return seed;
  }

  /** The events of the hour starting at {@code hourStart} (epoch millis), in time order. */
  List<GenericRecord> hour(long hourStart) {
    SplittableRandom random = new SplittableRandom(seed * 31 + hourStart);
    Instant start = Instant.ofEpochMilli(hourStart);
    DayOfWeek day = start.atZone(ZoneOffset.UTC).getDayOfWeek();
    double week = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY ? 0.7 : 1.0;
    List<GenericRecord> events = new ArrayList<>(perMinute * 60 * 2);
    for (int minute = 0; minute < 60; minute++) {
      long minuteStart = hourStart + minute * 60_000L;
      double hourOfDay = (minuteStart % 86_400_000L) / (double) HOUR_MS;
      double diurnal = 1 + 0.6 * Math.sin(2 * Math.PI * (hourOfDay - 10) / 24);
      double mean = perMinute * week * diurnal;
      int count = (int) Math.round(mean * (0.8 + 0.4 * random.nextDouble()));
      long[] times = new long[count];
      for (int i = 0; i < count; i++) {
        times[i] = minuteStart + random.nextInt(60_000);
      }
      Arrays.sort(times);
      for (long time : times) {
        events.add(event(random, time));
      }
    }
    return events;
  }

  private GenericRecord event(SplittableRandom random, long time) {
    int client = random.nextInt(CLIENTS);
    int path = random.nextInt(100) < 70 ? random.nextInt(20) : random.nextInt(PATHS);
    int s = random.nextInt(100);
    int status = 0;
    while (s >= STATUS_CUMULATIVE[status]) {
      status++;
    }
    long bytes = Math.min(50_000_000L, Math.round(Math.exp(8.7 + 1.2 * gaussian(random))));
    GenericData.Record event = new GenericData.Record(SCHEMA);
    event.put(
        "client", "10." + (client >> 16) + "." + ((client >> 8) & 0xff) + "." + (client & 0xff));
    event.put("client_kind", ipv4);
    event.put("event_time", time);
    event.put("utc_offset_seconds", 0);
    event.put("request_valid", true);
    event.put("method", "GET");
    event.put("path", paths[path]);
    event.put("protocol", "HTTP/1.1");
    event.put("status", STATUSES[status]);
    event.put("bytes", bytes);
    event.put("extra_fields", List.of());
    event.put("format", "combined");
    event.put("line_bytes", 180);
    event.put("country", COUNTRIES.get(clientCountry[client]));
    event.put("is_bot", client % 13 == 0);
    return event;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
