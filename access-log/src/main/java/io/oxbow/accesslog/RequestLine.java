package io.oxbow.accesslog;

/**
 * Splits a decoded request line ({@code METHOD target [HTTP/x.y]}) into method, path, query and
 * protocol. A line without a protocol is HTTP/0.9 (protocol null). Anything else (TLS handshake
 * bytes, {@code Gh0st}, bare words) is marked invalid and leaves those fields null.
 */
final class RequestLine {

  private static final String[] METHODS = {
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "PROPFIND"
  };
  private static final String[] PROTOCOLS = {
    "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/2", "HTTP/3"
  };

  final String method;
  final String path;
  final String query;
  final String protocol;

  private RequestLine(String method, String path, String query, String protocol) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.protocol = protocol;
  }

  /** Returns the parts, or null when the text is not an HTTP request line. */
  static RequestLine parse(String r) {
    int sp1 = r.indexOf(' ');
    if (sp1 <= 0 || !isMethod(r, sp1)) {
      return null;
    }
    int last = r.lastIndexOf(' ');
    String protocol = null;
    int targetEnd = r.length();
    if (last > sp1) {
      protocol = protocol(r, last + 1);
      if (protocol == null) {
        return null;
      }
      targetEnd = last;
    }
    int targetStart = sp1 + 1;
    if (targetEnd <= targetStart || !isTarget(r, targetStart, targetEnd, sp1)) {
      return null;
    }
    int q = r.indexOf('?', targetStart);
    String path;
    String query = null;
    if (q >= 0 && q < targetEnd) {
      path = r.substring(targetStart, q);
      query = r.substring(q + 1, targetEnd);
    } else {
      path = r.substring(targetStart, targetEnd);
    }
    return new RequestLine(method(r, sp1), path, query, protocol);
  }

  private static boolean isMethod(String r, int len) {
    if (len > 24) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      char c = r.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (i > 0 && (c == '-' || c == '_')))) {
        return false;
      }
    }
    return true;
  }

  private static String method(String r, int len) {
    for (String m : METHODS) {
      if (m.length() == len && r.startsWith(m)) {
        return m;
      }
    }
    return r.substring(0, len);
  }

  /** The protocol at {@code r[from..]} when it is HTTP/d or HTTP/d.d, else null. */
  private static String protocol(String r, int from) {
    int len = r.length() - from;
    boolean shape =
        (len == 6 || len == 8)
            && r.startsWith("HTTP/", from)
            && isDigit(r.charAt(from + 5))
            && (len == 6 || (r.charAt(from + 6) == '.' && isDigit(r.charAt(from + 7))));
    if (!shape) {
      return null;
    }
    for (String p : PROTOCOLS) {
      if (p.length() == len && r.startsWith(p, from)) {
        return p;
      }
    }
    return r.substring(from);
  }

  /** Origin form (/...), asterisk, absolute URI (scheme://...), or authority form for CONNECT. */
  private static boolean isTarget(String r, int from, int to, int methodLen) {
    for (int i = from; i < to; i++) {
      char c = r.charAt(i);
      if (c < 0x21 || c == 0x7f) {
        return false;
      }
    }
    char first = r.charAt(from);
    if (first == '/' || (first == '*' && to - from == 1)) {
      return true;
    }
    if (methodLen == 7 && r.startsWith("CONNECT")) {
      return true;
    }
    int colon = r.indexOf("://", from);
    return colon > from && colon < to;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
