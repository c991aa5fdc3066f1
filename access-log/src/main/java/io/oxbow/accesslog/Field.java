package io.oxbow.accesslog;

/** What a format directive yields, and so how its bytes are read and where the value goes. */
enum Field {
  /** %h, %a, $remote_addr: IPv4/IPv6 address (normalized) or host name. */
  CLIENT(RejectReason.BAD_CLIENT),
  /** %l: RFC 1413 identity. */
  IDENT(RejectReason.BAD_FIELD),
  /** %u, $remote_user. */
  USER(RejectReason.BAD_FIELD),
  /** %t: {@code [dd/MMM/yyyy:HH:mm:ss +hhmm]} including the brackets. */
  TIME_BRACKETED(RejectReason.BAD_TIMESTAMP),
  /** $time_local: the same time without brackets (nginx writes them as literals). */
  TIME(RejectReason.BAD_TIMESTAMP),
  /** %r, $request. */
  REQUEST(RejectReason.BAD_REQUEST_LINE),
  /** %>s, %s, $status. */
  STATUS(RejectReason.BAD_STATUS),
  /** %b, %B, %O, $body_bytes_sent: a number, or {@code -} for none. */
  BYTES(RejectReason.BAD_BYTES),
  /** %{Referer}i, $http_referer. */
  REFERRER(RejectReason.BAD_FIELD),
  /** %{User-Agent}i, $http_user_agent. */
  USER_AGENT(RejectReason.BAD_FIELD),
  /** %{X-Forwarded-For}i, $http_x_forwarded_for. */
  FORWARDED_FOR(RejectReason.BAD_FIELD),
  /** %v, %V, %{Host}i, $host. */
  VHOST(RejectReason.BAD_FIELD),
  /** {@code vhost[:port]} as one token (the first field of Apache's vhost_combined). */
  VHOST_WITH_PORT(RejectReason.BAD_FIELD),
  /** %p, $server_port. */
  PORT(RejectReason.BAD_NUMBER),
  /** %D: microseconds. */
  DURATION_MICROS(RejectReason.BAD_NUMBER),
  /** %T, $request_time: seconds, optionally with a fraction ({@code 0.123}). */
  DURATION_SECONDS(RejectReason.BAD_NUMBER),
  /** Any other directive: its text goes to extra_fields, in format order. */
  OTHER(RejectReason.BAD_FIELD);

  private final RejectReason reason;

  Field(RejectReason reason) {
    this.reason = reason;
  }

  /** The reason used when this field (or the separator in front of it) is malformed. */
  RejectReason reason() {
    return reason;
  }
}
