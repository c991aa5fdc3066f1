package io.oxbow.registry.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * The client settings, read from the Confluent configuration names a serde receives.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code schema.registry.url}</td><td>(required)</td><td>comma-separated URLs tried in
 * turn on connection errors; {@code mock://scope} for the in-memory registry</td></tr>
 * <tr><td>{@code basic.auth.credentials.source}</td><td>{@code URL}</td><td>{@code USER_INFO}:
 * {@code basic.auth.user.info}; {@code URL}: the user info of the URL; {@code SASL_INHERIT}:
 * the {@code username}/{@code password} of {@code sasl.jaas.config}</td></tr>
 * <tr><td>{@code basic.auth.user.info}</td><td></td><td>{@code user:password}</td></tr>
 * <tr><td>{@code bearer.auth.token}</td><td></td><td>sent as {@code Authorization: Bearer}
 * ({@code bearer.auth.credentials.source=STATIC_TOKEN}, the default)</td></tr>
 * <tr><td>{@code schema.registry.ssl.*}</td><td></td><td>truststore/keystore location, password
 * and type, key password, endpoint identification algorithm</td></tr>
 * <tr><td>{@code http.connect.timeout.ms} / {@code http.read.timeout.ms}</td><td>60000</td>
 * <td>connect and request timeouts</td></tr>
 * <tr><td>{@code max.retries}</td><td>3</td><td>retries on 5xx and connection errors</td></tr>
 * <tr><td>{@code retries.wait.ms} / {@code retries.max.wait.ms}</td><td>1000 / 20000</td>
 * <td>first backoff, doubled per retry up to the maximum</td></tr>
 * <tr><td>{@code max.schemas.per.subject}</td><td>1000</td><td>client cache entries per
 * subject</td></tr>
 * </table>
 *
 * @param urls registry base URLs without trailing slash
 * @param authorization the {@code Authorization} header value, if any
 * @param ssl TLS settings ({@code schema.registry.ssl.} prefix removed)
 * @param connectTimeout connect timeout
 * @param requestTimeout whole-request timeout
 * @param maxRetries retries after the first attempt
 * @param retryWait first backoff
 * @param retryMaxWait largest backoff
 * @param maxSchemasPerSubject cache bound per subject
 */
public record RegistryClientConfig(
    List<String> urls,
    Optional<String> authorization,
    Map<String, String> ssl,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration retryWait,
    Duration retryMaxWait,
    int maxSchemasPerSubject) {

  /** Config key of the registry URL list. */
  public static final String URL = "schema.registry.url";

  /** Prefix of the TLS settings. */
  public static final String SSL_PREFIX = "schema.registry.ssl.";

  /**
   * Reads the settings.
   *
   * @throws ConfigException naming the key when a value is missing or malformed
   */
  public static RegistryClientConfig from(Map<String, ?> configs) {
    Object url = configs.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new ConfigException(URL, url, "the schema registry URL is required");
    }
    List<String> urls =
        Arrays.stream(url.toString().split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
            .toList();
    if (urls.isEmpty()) {
      throw new ConfigException(URL, url, "no URL in the list");
    }
    Map<String, String> ssl = new java.util.TreeMap<>();
    configs.forEach(
        (k, v) -> {
          if (k.startsWith(SSL_PREFIX) && v != null) {
            ssl.put(k.substring(SSL_PREFIX.length()), v.toString());
          }
        });
    return new RegistryClientConfig(
        urls,
        authorization(configs, urls),
        Map.copyOf(ssl),
        Duration.ofMillis(number(configs, "http.connect.timeout.ms", 60_000)),
        Duration.ofMillis(number(configs, "http.read.timeout.ms", 60_000)),
        (int) number(configs, "max.retries", 3),
        Duration.ofMillis(number(configs, "retries.wait.ms", 1000)),
        Duration.ofMillis(number(configs, "retries.max.wait.ms", 20_000)),
        (int) number(configs, "max.schemas.per.subject", 1000));
  }

  private static Optional<String> authorization(Map<String, ?> configs, List<String> urls) {
    Object token = configs.get("bearer.auth.token");
    if (token != null && !token.toString().isBlank()) {
      return Optional.of("Bearer " + token);
    }
    String source = text(configs, "basic.auth.credentials.source", "URL").toUpperCase(Locale.ROOT);
    String userInfo =
        switch (source) {
          case "USER_INFO" -> {
            String info = text(configs, "basic.auth.user.info", "");
            if (!info.contains(":")) {
              throw new ConfigException(
                  "basic.auth.user.info", "(hidden)", "expected user:password");
            }
            yield info;
          }
          case "URL" -> urls.isEmpty() ? null : URI.create(urls.get(0)).getRawUserInfo();
          case "SASL_INHERIT" -> saslUserInfo(text(configs, "sasl.jaas.config", ""));
          default ->
              throw new ConfigException(
                  "basic.auth.credentials.source",
                  source,
                  "expected URL, USER_INFO or SASL_INHERIT");
        };
    if (userInfo == null || userInfo.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
  }

  private static String saslUserInfo(String jaas) {
    java.util.regex.Matcher user =
        java.util.regex.Pattern.compile("username=\"([^\"]*)\"").matcher(jaas);
    java.util.regex.Matcher pass =
        java.util.regex.Pattern.compile("password=\"([^\"]*)\"").matcher(jaas);
    if (!user.find() || !pass.find()) {
      throw new ConfigException(
          "sasl.jaas.config",
          "(hidden)",
          "SASL_INHERIT needs username=\"...\" and password=\"...\"");
    }
    return user.group(1) + ":" + pass.group(1);
  }

  private static String text(Map<String, ?> configs, String key, String defaultValue) {
    Object v = configs.get(key);
    return v == null ? defaultValue : v.toString().trim();
  }

  private static long number(Map<String, ?> configs, String key, long defaultValue) {
    Object v = configs.get(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      long n = Long.parseLong(v.toString().trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v, "expected a whole number >= 0");
    }
  }
}
