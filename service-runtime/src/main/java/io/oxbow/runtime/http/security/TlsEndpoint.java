package io.oxbow.runtime.http.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTPS connector serving the certificate and key of two PEM files ({@link PemKeyStore}), and
 * reloading them when either file changes: every reload interval (default 30 s) the files' modified
 * times are compared, and on a change the new pair is loaded and used for new connections. A pair
 * that does not load (half-written, key not matching) is logged at ERROR and the old one kept. TLS
 * 1.2 and 1.3 only (Jetty's defaults exclude older protocols and weak ciphers).
 */
public final class TlsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TlsEndpoint.class);

  private final Path certificateFile;
  private final Path keyFile;
  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  private final ScheduledExecutorService reloader;
  private volatile List<FileTime> loaded;

  /**
   * Loads the pair now (so a bad file stops the service at start) and starts watching it.
   *
   * @param certificateFile PEM certificate chain
   * @param keyFile PEM PKCS#8 private key
   * @param reloadInterval how often the files are checked; zero: never (reloaded on restart)
   * @throws IllegalArgumentException naming the file that does not load
   */
  public TlsEndpoint(Path certificateFile, Path keyFile, Duration reloadInterval) {
    this.certificateFile = Objects.requireNonNull(certificateFile);
    this.keyFile = Objects.requireNonNull(keyFile);
    this.loaded = times();
    factory.setKeyStore(PemKeyStore.load(certificateFile, keyFile));
    factory.setKeyStorePassword(PemKeyStore.PASSWORD);
    factory.setKeyManagerPassword(PemKeyStore.PASSWORD);
    if (reloadInterval.isZero()) {
      reloader = null;
    } else {
      reloader =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "tls-reload");
                t.setDaemon(true);
                return t;
              });
      long ms = reloadInterval.toMillis();
      reloader.scheduleWithFixedDelay(this::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** A new HTTPS connector on {@code host:port} for {@code server}. */
  public ServerConnector connector(Server server, HttpConfiguration base, String host, int port) {
    HttpConfiguration https = new HttpConfiguration(base);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // clients reach services by IP address and by names the certificate may not list
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(factory, "http/1.1"),
            new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  private List<FileTime> times() {
    try {
      return List.of(
          Files.getLastModifiedTime(certificateFile), Files.getLastModifiedTime(keyFile));
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  private void reloadIfChanged() {
    List<FileTime> now = times();
    if (now.isEmpty() || now.equals(loaded)) {
      return;
    }
    try {
      var store = PemKeyStore.load(certificateFile, keyFile);
      factory.reload(f -> f.setKeyStore(store));
      loaded = now;
      log.info("TLS certificate reloaded from {}", certificateFile);
    } catch (Exception e) {
      log.error("TLS certificate {} not reloaded, the previous one stays: {}", certificateFile, e);
    }
  }

  /** Stops watching the files. */
  @Override
  public void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
  }
}
