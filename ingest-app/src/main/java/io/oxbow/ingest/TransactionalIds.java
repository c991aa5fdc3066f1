package io.oxbow.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * The default prefix of an ingest instance's transactional ids ({@code
 * ingest.transactional-id-prefix} when not set): {@code oxbow-ingest-<host name>-<port>}, so two
 * instances never share a transactional id (two on one host listen on different ports) and a
 * restarted instance on the same host and port fences its predecessor's open transactions. On port
 * 0 (a free port, known only once bound) the port is replaced by a random suffix: unique, but not
 * stable across restarts. The host name is {@code HOSTNAME} from the environment (set by
 * containers) or the JVM's local host name; characters other than letters, digits, {@code .},
 * {@code _} and {@code -} become {@code _}.
 */
final class TransactionalIds {
  static final String PREFIX = "oxbow-ingest";

  private TransactionalIds() {}

  /** The prefix of the instance on this host and {@code port}. */
  static String defaultPrefix(int port) {
    return defaultPrefix(hostName(), port, UUID.randomUUID().toString().substring(0, 8));
  }

  /**
   * The prefix for {@code hostName} and {@code port}.
   *
   * @param randomSuffix what stands for the port when it is 0
   */
  static String defaultPrefix(String hostName, int port, String randomSuffix) {
    String host = hostName == null || hostName.isBlank() ? "localhost" : hostName.trim();
    String instance = port == 0 ? "random-" + randomSuffix : String.valueOf(port);
    return (PREFIX + "-" + host + "-" + instance).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String hostName() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
