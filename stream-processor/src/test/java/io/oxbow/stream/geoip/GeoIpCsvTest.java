package io.oxbow.stream.geoip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.stream.enrich.IpAddresses;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoIpCsvTest {
  @TempDir Path dir;

  @Test
  void shouldReadIpLocationDbRangesGzippedIpv4AndIpv6() throws IOException {
    Path file =
        gz(
            "ranges.csv.gz",
            "1.0.0.0,1.0.0.255,AU\n2001:200::,2001:218:2000:51:ffff:ffff:ffff:ffff,jp\n");
    List<GeoIpCsv.Range> ranges = read(file);
    assertThat(ranges).extracting(GeoIpCsv.Range::country).containsExactly("AU", "JP");
    assertThat(ranges.get(0).startBytes()).isEqualTo(IpAddresses.require("1.0.0.0"));
    assertThat(ranges.get(1).endBytes())
        .isEqualTo(IpAddresses.require("2001:218:2000:51:ffff:ffff:ffff:ffff"));
  }

  @Test
  void shouldReadDbIpShapeWithHeaderAndQuotes() throws IOException {
    Path file = plain("dbip.csv", "ip_start,ip_end,country\n\"5.0.0.0\",\"5.0.0.255\",\"DE\"\n");
    assertThat(read(file))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.start() + "-" + r.end() + " " + r.country())
                    .isEqualTo("5.0.0.0-5.0.0.255 DE"));
  }

  @Test
  void shouldReadGeoLite2BlocksWithTheirLocations() throws IOException {
    Path locations =
        plain(
            "GeoLite2-Country-Locations-en.csv",
            "geoname_id,locale_code,continent_code,continent_name,country_iso_code,country_name,"
                + "is_in_european_union\n2921044,en,EU,Europe,DE,Germany,1\n6252001,en,NA,"
                + "\"North America\",US,\"United States\",0\n");
    Path blocks =
        plain(
            "GeoLite2-Country-Blocks-IPv4.csv",
            "network,geoname_id,registered_country_geoname_id,represented_country_geoname_id,"
                + "is_anonymous_proxy,is_satellite_provider\n"
                + "1.2.3.0/24,2921044,2921044,,0,0\n"
                + "8.8.8.0/24,,6252001,,0,0\n"
                + "9.9.9.0/24,,,,1,0\n");
    List<GeoIpCsv.Range> out = new ArrayList<>();
    GeoIpCsv.Stats stats = GeoIpCsv.read(List.of(blocks, locations), out::add);

    assertThat(out).extracting(GeoIpCsv.Range::country).containsExactly("DE", "US");
    assertThat(out.get(0).end()).isEqualTo("1.2.3.255");
    assertThat(stats.skippedWithoutCountry()).isEqualTo(1);
  }

  @Test
  void shouldNameFileLineAndFieldOfABadLine() throws IOException {
    Path file = plain("bad.csv", "1.0.0.0,1.0.0.255,AU\n1.0.1.0,not-an-ip,CN\n");
    assertThatThrownBy(() -> read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.csv:2")
        .hasMessageContaining("end \"not-an-ip\" is not an IP address");
  }

  @Test
  void shouldReadTheBundledSamples() throws IOException {
    Path samples = Path.of(System.getProperty("oxbow.root"), "samples", "geoip");
    long[] count = {0};
    GeoIpCsv.read(
        List.of(
            samples.resolve("geo-whois-asn-country-ipv4.csv.gz"),
            samples.resolve("geo-whois-asn-country-ipv6.csv.gz")),
        r -> count[0]++);
    assertThat(count[0]).isEqualTo(334_373 + 216_295);
  }

  private List<GeoIpCsv.Range> read(Path file) throws IOException {
    List<GeoIpCsv.Range> out = new ArrayList<>();
    GeoIpCsv.read(List.of(file), out::add);
    return out;
  }

  private Path plain(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private Path gz(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }
}
