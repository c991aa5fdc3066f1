package io.oxbow.stream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oxbow.contracts.avro.GeoIpRange;
import io.oxbow.localkafka.junit.KafkaBackend;
import io.oxbow.localkafka.junit.KafkaBackendExtension;
import io.oxbow.registry.serde.AvroSerde;
import io.oxbow.stream.enrich.IpAddresses;
import io.oxbow.stream.geoip.GeoIpLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBackendExtension.class)
class GeoIpLoaderIT {
  private static final String REGISTRY = "mock://geoip-loader-it";

  @TempDir Path dir;

  @Test
  void shouldReplaceThePreviousLoadAndTombstoneRangesItNoLongerHas(KafkaBackend kafka)
      throws Exception {
    String topic = "ref.geoip-loader-it-" + UUID.randomUUID();
    Path first =
        Files.writeString(
            dir.resolve("first.csv"),
            "1.0.0.0,1.0.0.255,AU\n1.0.1.0,1.0.3.255,CN\n2001:200::,2001:200::ffff,JP\n");
    Path second =
        Files.writeString(
            dir.resolve("second.csv"), "1.0.0.0,1.0.0.127,NZ\n5.0.0.0,5.0.0.255,DE\n");
    try (AvroSerde<GeoIpRange> serde =
        AvroSerde.specific(Map.of("schema.registry.url", REGISTRY), false)) {
      GeoIpLoader loader = new GeoIpLoader(kafka.bootstrapServers(), topic, serde.serializer());
      GeoIpLoader.Result one = loader.load(List.of(first));
      GeoIpLoader.Result two = loader.load(List.of(second));
      assertThatThrownBy(
              () ->
                  loader.load(
                      List.of(
                          Files.writeString(
                              dir.resolve("bad.csv"),
                              "x,y,z\n1.0.0.0,1.0.0.9,AU\n9.9.9.9,nope,AU\n"))))
          .hasMessageContaining("bad.csv:3");

      assertThat(one.ranges()).isEqualTo(3);
      assertThat(two.ranges()).isEqualTo(2);
      assertThat(two.tombstoned()).isEqualTo(2);
      Map<String, String> live = new HashMap<>();
      for (ConsumerRecord<byte[], GeoIpRange> r :
          Samples.readAll(kafka.bootstrapServers(), topic, serde.deserializer())) {
        String key = HexFormat.of().formatHex(r.key());
        if (r.value() == null) {
          live.remove(key);
        } else {
          live.put(key, r.value().getCountry());
        }
      }
      assertThat(live)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  HexFormat.of().formatHex(IpAddresses.require("1.0.0.0")), "NZ",
                  HexFormat.of().formatHex(IpAddresses.require("5.0.0.0")), "DE"));
    }
  }
}
