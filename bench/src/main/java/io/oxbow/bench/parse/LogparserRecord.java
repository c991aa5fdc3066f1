package io.oxbow.bench.parse;

import nl.basjes.parse.httpdlog.HttpdLoglineParser;

/** The fields the logparser baseline is asked for: the same ones Oxbow's event carries. */
public final class LogparserRecord {
  private String client;
  private String user;
  private long epochMillis;
  private String method;
  private String path;
  private String query;
  private String protocol;
  private String status;
  private String bytes;
  private String referrer;
  private String userAgent;

  /** A parser for the "combined" format bound to this record's setters. */
  static HttpdLoglineParser<LogparserRecord> parser() throws ReflectiveOperationException {
    HttpdLoglineParser<LogparserRecord> p =
        new HttpdLoglineParser<>(LogparserRecord.class, "combined");
    p.addParseTarget("setClient", "IP:connection.client.host");
    p.addParseTarget("setUser", "STRING:connection.client.user");
    p.addParseTarget("setEpochMillis", "TIME.EPOCH:request.receive.time.epoch");
    p.addParseTarget("setMethod", "HTTP.METHOD:request.firstline.method");
    p.addParseTarget("setPath", "HTTP.PATH:request.firstline.uri.path");
    p.addParseTarget("setQuery", "HTTP.QUERYSTRING:request.firstline.uri.query");
    p.addParseTarget("setProtocol", "HTTP.PROTOCOL_VERSION:request.firstline.protocol");
    p.addParseTarget("setStatus", "STRING:request.status.last");
    p.addParseTarget("setBytes", "BYTESCLF:response.body.bytes");
    p.addParseTarget("setReferrer", "HTTP.URI:request.referer");
    p.addParseTarget("setUserAgent", "HTTP.USERAGENT:request.user-agent");
    return p;
  }

  public void setClient(String v) {
    client = v;
  }

  public void setUser(String v) {
    user = v;
  }

  public void setEpochMillis(Long v) {
    epochMillis = v == null ? 0 : v;
  }

  public void setMethod(String v) {
    method = v;
  }

  public void setPath(String v) {
    path = v;
  }

  public void setQuery(String v) {
    query = v;
  }

  public void setProtocol(String v) {
    protocol = v;
  }

  public void setStatus(String v) {
    status = v;
  }

  public void setBytes(String v) {
    bytes = v;
  }

  public void setReferrer(String v) {
    referrer = v;
  }

  public void setUserAgent(String v) {
    userAgent = v;
  }

  @Override
  public String toString() {
    return String.join(
        "|",
        client,
        user,
        Long.toString(epochMillis),
        method,
        path,
        query,
        protocol,
        status,
        bytes,
        referrer,
        userAgent);
  }
}
