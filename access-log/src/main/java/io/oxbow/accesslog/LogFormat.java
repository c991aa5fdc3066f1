package io.oxbow.accesslog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A compiled access-log format: the predefined Apache and nginx layouts, {@link #AUTO} (detect per
 * line), or a user's Apache {@code LogFormat} / nginx {@code log_format} string.
 *
 * <p>Instances are immutable and safe to share. Compile a format once and reuse it through {@link
 * AccessLogParser#forFormat(LogFormat)}.
 *
 * <p>Supported directives: Apache {@code %h %a %l %u %t %r %>s %s %b %B %O %D %T %{us}T %v %V %p
 * %{X}i}; nginx {@code $remote_addr $remote_user $time_local $request $status $body_bytes_sent
 * $bytes_sent $http_referer $http_user_agent $http_x_forwarded_for $host $server_port
 * $request_time}. Other directives (for example {@code $upstream_response_time}) are read as text
 * into {@code extra_fields}, in format order.
 */
public final class LogFormat {

  private static final String COMMON_APACHE = "%h %l %u %t \"%r\" %>s %b";
  private static final String COMBINED_APACHE =
      COMMON_APACHE + " \"%{Referer}i\" \"%{User-Agent}i\"";
  private static final String COMBINED_NGINX =
      "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent"
          + " \"$http_referer\" \"$http_user_agent\"";

  /** NCSA common: {@code %h %l %u %t "%r" %>s %b}. */
  public static final LogFormat COMMON =
      new LogFormat("common", COMMON_APACHE, FormatCompiler.apache(COMMON_APACHE), false);

  /** Apache combined: common plus quoted referrer and user agent. */
  public static final LogFormat COMBINED =
      new LogFormat("combined", COMBINED_APACHE, FormatCompiler.apache(COMBINED_APACHE), false);

  /** Apache vhost_combined: {@code %v:%p} in front of combined (with {@code %O} bytes). */
  public static final LogFormat VHOST_COMBINED = apacheNamed("vhost_combined", "%v:%p " + comb());

  /** nginx's built-in {@code combined} (byte-identical to Apache combined; named "combined"). */
  public static final LogFormat NGINX_COMBINED =
      new LogFormat("combined", COMBINED_NGINX, FormatCompiler.nginx(COMBINED_NGINX), false);

  /**
   * nginx's {@code main}: combined plus a quoted {@code $http_x_forwarded_for}; lines that stop
   * after the user agent (plain combined) are accepted too, with forwarded_for null.
   */
  public static final LogFormat NGINX_MAIN =
      new LogFormat(
          "nginx_main",
          COMBINED_NGINX + " \"$http_x_forwarded_for\"",
          FormatCompiler.nginx(COMBINED_NGINX + " \"$http_x_forwarded_for\""),
          true);

  /**
   * Detects the layout per line: common, combined, vhost_combined or nginx main (a third quoted
   * field that looks like an address list). Further trailing fields go to extra_fields.
   */
  public static final LogFormat AUTO = new LogFormat("auto", "auto", COMMON.tokens, false);

  private final String name;
  private final String formatString;
  private final List<Token> tokens;
  private final int optionalFrom;

  private LogFormat(String name, String formatString, List<Token> tokens, boolean optionalTail) {
    this.name = name;
    this.formatString = formatString;
    this.tokens = tokens;
    // the trailing " $http_x_forwarded_for" (separator literal + field) may be missing
    this.optionalFrom = optionalTail ? tokens.size() - 2 : tokens.size();
  }

  private static String comb() {
    return COMBINED_APACHE.replace("%b", "%O");
  }

  private static LogFormat apacheNamed(String name, String format) {
    return new LogFormat(name, format, FormatCompiler.apache(format), false);
  }

  /**
   * A user's Apache {@code LogFormat} string, e.g. {@code %h %l %u %t "%r" %>s %b %D}. Quotes may
   * be written as {@code \"} as in httpd.conf.
   *
   * @throws IllegalArgumentException if the string is malformed or lacks client, time or status
   */
  public static LogFormat apache(String format) {
    return apacheNamed("custom", format);
  }

  /**
   * A user's nginx {@code log_format} string, e.g. {@code $remote_addr - $remote_user [$time_local]
   * "$request" $status $body_bytes_sent $request_time}; the quoted pieces of an nginx.conf line
   * ({@code '...' '...'}) are accepted and joined.
   *
   * @throws IllegalArgumentException if the string is malformed or lacks client, time or status
   */
  public static LogFormat nginx(String format) {
    return new LogFormat("custom", format, FormatCompiler.nginx(format), false);
  }

  /**
   * Resolves a name ({@code auto}, {@code common}, {@code combined}, {@code vhost_combined}, {@code
   * nginx} = {@code nginx_main}, {@code nginx_combined}) or a format string: one containing {@code
   * $} is read as nginx syntax, one containing {@code %} as Apache syntax.
   *
   * @throws IllegalArgumentException for an unknown name or a malformed format string
   */
  public static LogFormat of(String spec) {
    switch (spec.strip().toLowerCase(Locale.ROOT)) {
      case "auto":
        return AUTO;
      case "common":
      case "ncsa":
        return COMMON;
      case "combined":
        return COMBINED;
      case "vhost_combined":
        return VHOST_COMBINED;
      case "nginx":
      case "nginx_main":
      case "main":
        return NGINX_MAIN;
      case "nginx_combined":
        return NGINX_COMBINED;
      default:
        break;
    }
    if (spec.indexOf('$') >= 0) {
      return nginx(spec);
    }
    if (spec.indexOf('%') >= 0) {
      return apache(spec);
    }
    throw new IllegalArgumentException(
        "unknown log format '"
            + spec
            + "': use auto, common, combined, vhost_combined, nginx, nginx_combined,"
            + " or an Apache LogFormat / nginx log_format string");
  }

  /** The name written to the event's {@code format} field ("custom" for format strings). */
  public String name() {
    return name;
  }

  /** The format string this was compiled from ("auto" for {@link #AUTO}). */
  public String formatString() {
    return formatString;
  }

  /** True for {@link #AUTO}. */
  public boolean isAuto() {
    return this == AUTO;
  }

  List<Token> tokens() {
    return tokens;
  }

  int optionalFrom() {
    return optionalFrom;
  }

  /** The layout AUTO uses for lines that start with {@code vhost[:port]}. */
  static List<Token> autoVhostTokens() {
    List<Token> t = new ArrayList<>();
    t.add(Token.field(Field.VHOST_WITH_PORT, false, "%v:%p"));
    t.add(Token.literal(" "));
    t.addAll(COMMON.tokens);
    return List.copyOf(t);
  }

  @Override
  public String toString() {
    return name + "[" + formatString + "]";
  }
}
