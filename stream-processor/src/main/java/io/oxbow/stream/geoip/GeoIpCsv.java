package io.oxbow.stream.geoip;

import io.oxbow.stream.enrich.Cidr;
import io.oxbow.stream.enrich.IpAddresses;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads geo-IP range files (plain or gzip, detected by content) into {@link Range}s, IPv4 and IPv6
 * alike. Shapes, detected per file from its first line:
 *
 * <ul>
 *   <li>{@code start,end,country[,...]}: ip-location-db and DB-IP lite country CSVs (no header; a
 *       header line whose first column is not an address is skipped; values may be quoted);
 *   <li>GeoLite2-Country-CSV: a {@code GeoLite2-Country-Blocks-IPv4/IPv6.csv} file ({@code
 *       network,geoname_id,registered_country_geoname_id,...}, networks as CIDR) needs the {@code
 *       GeoLite2-Country-Locations-*.csv} file ({@code
 *       geoname_id,locale_code,...,country_iso_code}) among the same files to map geoname ids to
 *       ISO codes; the block's {@code geoname_id} is used, else its {@code
 *       registered_country_geoname_id}; blocks with neither (anonymous proxies, satellite
 *       providers) are skipped and counted.
 * </ul>
 *
 * <p>Any other line fails with an {@link IllegalArgumentException} naming file, line and field.
 */
public final class GeoIpCsv {
  /**
   * One inclusive range.
   *
   * @param start first address as written
   * @param end last address as written
   * @param startBytes 16-byte start
   * @param endBytes 16-byte end
   * @param country ISO 3166-1 alpha-2 code, upper case
   */
  public record Range(
      String start, String end, byte[] startBytes, byte[] endBytes, String country) {}

  /** What a read produced besides ranges: blocks skipped for having no country. */
  public record Stats(long ranges, long skippedWithoutCountry) {}

  private GeoIpCsv() {}

  /** Reads every file, passing each range to {@code sink}. Locations files are read first. */
  public static Stats read(List<Path> files, Consumer<Range> sink) throws IOException {
    Map<String, String> geonames = new HashMap<>();
    List<Path> data = new ArrayList<>();
    for (Path file : files) {
      String first = firstLine(file);
      if (first.startsWith("geoname_id,")) {
        readLocations(file, geonames);
      } else {
        data.add(file);
      }
    }
    long ranges = 0;
    long skipped = 0;
    for (Path file : data) {
      try (BufferedReader in = open(file)) {
        String line;
        int lineNo = 0;
        boolean blocks = false;
        while ((line = in.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          if (lineNo == 1 && line.startsWith("network,")) {
            blocks = true;
            if (geonames.isEmpty()) {
              throw new IllegalArgumentException(
                  file
                      + ": a GeoLite2 blocks file needs its GeoLite2-Country-Locations-*.csv file"
                      + " among the files to load");
            }
            continue;
          }
          String[] cols = split(line);
          String where = file + ":" + lineNo;
          if (lineNo == 1 && !blocks && IpAddresses.parse(cols[0]).isEmpty()) {
            continue; // a header line
          }
          Range range = blocks ? block(cols, geonames, where) : startEnd(cols, where);
          if (range == null) {
            skipped++;
          } else {
            sink.accept(range);
            ranges++;
          }
        }
      }
    }
    return new Stats(ranges, skipped);
  }

  private static Range startEnd(String[] cols, String where) {
    if (cols.length < 3) {
      throw new IllegalArgumentException(
          where + ": expected start,end,country but found " + cols.length + " column(s)");
    }
    byte[] start = address(cols[0], where, "start");
    byte[] end = address(cols[1], where, "end");
    if (java.util.Arrays.compareUnsigned(start, end) > 0) {
      throw new IllegalArgumentException(where + ": start " + cols[0] + " is after end " + cols[1]);
    }
    return new Range(cols[0], cols[1], start, end, country(cols[2], where));
  }

  private static Range block(String[] cols, Map<String, String> geonames, String where) {
    if (cols.length < 3) {
      throw new IllegalArgumentException(
          where + ": expected network,geoname_id,registered_country_geoname_id,...");
    }
    Cidr cidr;
    try {
      cidr = Cidr.parse(cols[0]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": network: " + e.getMessage(), e);
    }
    String id = !cols[1].isEmpty() ? cols[1] : cols[2];
    if (id.isEmpty()) {
      return null;
    }
    String iso = geonames.get(id);
    if (iso == null) {
      throw new IllegalArgumentException(
          where + ": geoname_id " + id + " is not in the locations file");
    }
    byte[] last = cidr.last();
    return new Range(cols[0], IpAddresses.format(last), cidr.network(), last, iso);
  }

  private static void readLocations(Path file, Map<String, String> geonames) throws IOException {
    try (BufferedReader in = open(file)) {
      String header = in.readLine();
      List<String> names = List.of(split(header));
      int iso = names.indexOf("country_iso_code");
      if (iso < 0) {
        throw new IllegalArgumentException(file + ":1: no country_iso_code column");
      }
      String line;
      while ((line = in.readLine()) != null) {
        String[] cols = split(line);
        if (cols.length > iso && !cols[iso].isEmpty()) {
          geonames.put(cols[0], cols[iso].toUpperCase(Locale.ROOT));
        }
      }
    }
  }

  private static byte[] address(String text, String where, String field) {
    return IpAddresses.parse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    where + ": " + field + " \"" + text + "\" is not an IP address"));
  }

  private static String country(String text, String where) {
    String c = text.trim().toUpperCase(Locale.ROOT);
    if (c.length() != 2
        || !Character.isLetterOrDigit(c.charAt(0))
        || !Character.isLetterOrDigit(c.charAt(1))) {
      throw new IllegalArgumentException(
          where + ": country \"" + text + "\" is not a two-letter code");
    }
    return c;
  }

  private static String[] split(String line) {
    String[] cols = line.split(",", -1);
    for (int i = 0; i < cols.length; i++) {
      String c = cols[i].trim();
      if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
        c = c.substring(1, c.length() - 1);
      }
      cols[i] = c;
    }
    return cols;
  }

  private static String firstLine(Path file) throws IOException {
    try (BufferedReader in = open(file)) {
      String line = in.readLine();
      return line == null ? "" : line;
    }
  }

  private static BufferedReader open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b1 = raw.read();
    int b2 = raw.read();
    raw.reset();
    InputStream in = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }
}
