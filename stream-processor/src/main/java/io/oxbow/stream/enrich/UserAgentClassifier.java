package io.oxbow.stream.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Locale;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser family, operating system, device class and a bot flag for a User-Agent header, from yauaa
 * (Yet Another UserAgent Analyzer). Only the four fields Oxbow uses are asked for, which lets yauaa
 * skip most of its rules; the four values per header are kept in a bounded cache ({@code cacheSize}
 * headers, least recently and frequently used go first; 0 disables it), so a repeated header costs
 * one lookup. Building the analyzer takes a few seconds and a few hundred MB, so one instance is
 * shared by all stream threads (it is thread-safe).
 */
public final class UserAgentClassifier {
  private static final Logger log = LoggerFactory.getLogger(UserAgentClassifier.class);

  /** The classification of one header. */
  public record Result(String browser, String os, String device, boolean bot) {}

  /** What a missing or empty header classifies as. */
  public static final Result MISSING = new Result("Unknown", "Unknown", "Unknown", false);

  private final UserAgentAnalyzer analyzer;
  private final Cache<String, Result> cache;

  /** Builds the analyzer (slow: seconds) with a cache of {@code cacheSize} entries. */
  public UserAgentClassifier(int cacheSize) {
    long start = System.nanoTime();
    UserAgentAnalyzer.UserAgentAnalyzerBuilder builder =
        UserAgentAnalyzer.newBuilder()
            .hideMatcherLoadStats()
            .withField(UserAgent.AGENT_NAME)
            .withField(UserAgent.OPERATING_SYSTEM_NAME)
            .withField(UserAgent.DEVICE_CLASS)
            .immediateInitialization();
    this.analyzer = builder.withoutCache().build();
    this.cache = cacheSize > 0 ? Caffeine.newBuilder().maximumSize(cacheSize).build() : null;
    log.info(
        "user-agent analyzer ready in {} ms (cache {} entries)",
        (System.nanoTime() - start) / 1_000_000,
        cacheSize);
  }

  /** Classifies {@code header}; null or blank gives {@link #MISSING}. */
  public Result classify(String header) {
    if (header == null || header.isBlank()) {
      return MISSING;
    }
    return cache == null ? analyze(header) : cache.get(header, this::analyze);
  }

  private Result analyze(String header) {
    UserAgent ua = analyzer.parse(header);
    String device = ua.getValue(UserAgent.DEVICE_CLASS);
    String lowerDevice = device.toLowerCase(Locale.ROOT);
    boolean bot =
        lowerDevice.contains("robot")
            || lowerDevice.contains("spy")
            || lowerDevice.contains("hacker")
            || lowerDevice.contains("unclassified") && looksScripted(header);
    return new Result(
        ua.getValue(UserAgent.AGENT_NAME),
        ua.getValue(UserAgent.OPERATING_SYSTEM_NAME),
        device,
        bot);
  }

  private static boolean looksScripted(String header) {
    String h = header.toLowerCase(Locale.ROOT);
    return h.startsWith("curl/")
        || h.startsWith("wget/")
        || h.startsWith("python-")
        || h.startsWith("go-http-client");
  }
}
