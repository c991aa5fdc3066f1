package io.oxbow.runtime.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Ready when the Kafka cluster answers {@code describeCluster} with at least one broker within the
 * check's timeout. Keeps one {@link Admin} client open; {@link #close()} it with the service.
 */
public final class KafkaReadinessCheck implements ReadinessCheck, AutoCloseable {
  private final Admin admin;

  private KafkaReadinessCheck(Admin admin) {
    this.admin = admin;
  }

  /** A check against {@code bootstrapServers}. */
  public static KafkaReadinessCheck of(String bootstrapServers) {
    return of(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** A check with full admin client configuration (security settings, etc.). */
  public static KafkaReadinessCheck of(Map<String, Object> adminConfig) {
    Map<String, Object> config = new HashMap<>(adminConfig);
    config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "oxbow-readiness");
    config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    config.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    return new KafkaReadinessCheck(Admin.create(config));
  }

  @Override
  public void check(Duration timeout) throws Exception {
    int ms = (int) Math.max(1, timeout.toMillis());
    var nodes =
        admin
            .describeCluster(new DescribeClusterOptions().timeoutMs(ms))
            .nodes()
            .get(ms, TimeUnit.MILLISECONDS);
    if (nodes.isEmpty()) {
      throw new IllegalStateException("the Kafka cluster reports no brokers");
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
