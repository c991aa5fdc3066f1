package io.oxbow.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker with its SASL_SSL listener only: a user with the right password reads and writes over
 * TLS; a wrong password, a truststore of another authority, or a PLAINTEXT client do not get in.
 */
class SaslSslIT {

  @Test
  void onlyAuthenticatedTlsClientsGetIn(@TempDir Path dir) throws Exception {
    Path certs = Files.createDirectories(dir.resolve("certs"));
    SaslSsl tls = SaslSsl.generate(certs, Map.of("alice", "alice-secret"));
    try (LocalKafka kafka = LocalKafka.builder().saslSsl(tls).build().start()) {
      String bootstrap = kafka.bootstrapServers();
      Map<String, Object> alice = client(bootstrap, tls.clientProperties("alice", "alice-secret"));
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(alice, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("secured", "k", "over tls")).get(30, TimeUnit.SECONDS);
      }
      Map<String, Object> consumer = new HashMap<>(alice);
      consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "secured-reader");
      try (KafkaConsumer<String, String> reader =
          new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
        reader.subscribe(List.of("secured"));
        ConsumerRecords<String, String> read = ConsumerRecords.empty();
        for (int i = 0; i < 60 && read.isEmpty(); i++) {
          read = reader.poll(Duration.ofMillis(500));
        }
        assertThat(read.iterator().next().value()).isEqualTo("over tls");
      }

      long begin = System.nanoTime();
      assertThatThrownBy(() -> describe(client(bootstrap, tls.clientProperties("alice", "wrong"))))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SaslAuthenticationException.class);
      Path otherCerts = Files.createDirectories(dir.resolve("other"));
      SaslSsl other = SaslSsl.generate(otherCerts, Map.of());
      assertThatThrownBy(
              () -> describe(client(bootstrap, other.clientProperties("alice", "alice-secret"))))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SslAuthenticationException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(20));

      // a PLAINTEXT client gets no answer at all
      assertThatThrownBy(() -> describe(client(bootstrap, Map.of())))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("Timed out");
    }
  }

  private static Map<String, Object> client(String bootstrap, Map<String, String> security) {
    Map<String, Object> p = new HashMap<>(security);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return p;
  }

  private static void describe(Map<String, Object> config) throws Exception {
    Map<String, Object> p = new HashMap<>(config);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    try (Admin admin = Admin.create(p)) {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(3000))
          .nodes()
          .get(10, TimeUnit.SECONDS);
    }
  }
}
