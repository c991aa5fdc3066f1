package io.oxbow.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.oxbow.contracts.avro.ClientKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressTest {

  private static ClientAddress.Value parse(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return ClientAddress.parse(b, 0, b.length);
  }

  @ParameterizedTest
  @CsvSource({
    "192.168.0.1, 192.168.0.1, IPV4",
    "010.001.000.009, 10.1.0.9, IPV4",
    "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1, IPV6",
    "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1, IPV6",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1, IPV6",
    "2001:db8::1:0:0:0, 2001:db8:0:0:1::, IPV6",
    "[::1], ::1, IPV6",
    "::, ::, IPV6",
    "fe80::1%eth0, fe80::1%eth0, IPV6",
    "::ffff:192.0.2.128, ::ffff:192.0.2.128, IPV6",
    "64:ff9b::192.0.2.33, 64:ff9b::c000:221, IPV6",
    "2001:db8:1:2:3:4:5:6, 2001:db8:1:2:3:4:5:6, IPV6",
    "proxy-3.example.net, proxy-3.example.net, HOSTNAME",
    "localhost, localhost, HOSTNAME",
    "cafe, cafe, HOSTNAME",
  })
  void shouldNormalizeAddresses(String in, String text, ClientKind kind) {
    assertThat(parse(in)).isEqualTo(new ClientAddress.Value(text, kind));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-", "\"GET", "1:2:3:4:5:6:7:8:9", "2001:db8:::1", "a b", "<html>"})
  void shouldRejectWhatIsNeitherAddressNorHostName(String in) {
    assertThat(parse(in)).as(in).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "2001:0db8::0001, 2001:db8::1",
    "[2001:db8::1], 2001:db8::1",
    "::FFFF:192.0.2.128, ::ffff:192.0.2.128",
    "010.001.000.009, 10.1.0.9",
    "192.0.2.1, 192.0.2.1",
  })
  void shouldNormalizeIpAddressTextAsTheParserDoes(String in, String normal) {
    assertThat(ClientAddress.normalizeIp(in)).isEqualTo(normal).isEqualTo(parse(in).text());
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "localhost", "fe80::1%eth0", "999.1.1.1", "1.2.3", ""})
  void shouldRefuseWhatIsNotAnIpAddress(String in) {
    assertThat(ClientAddress.normalizeIp(in)).as(in).isNull();
  }
}
