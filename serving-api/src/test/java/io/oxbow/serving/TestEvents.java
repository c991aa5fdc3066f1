package io.oxbow.serving;

import io.oxbow.contracts.avro.AccessLogEvent;
import io.oxbow.contracts.avro.ClientKind;
import java.time.Instant;

/** Access-log events for tests, with only the fields the default views read. */
public final class TestEvents {
  private TestEvents() {}

  /** A request of {@code client} from {@code country} at {@code time}. */
  public static AccessLogEvent hit(
      Instant time, String client, String country, int status, String path) {
    return AccessLogEvent.newBuilder()
        .setClient(client)
        .setClientKind(ClientKind.HOSTNAME)
        .setEventTime(time)
        .setRequest("GET " + path + " HTTP/1.1")
        .setMethod("GET")
        .setPath(path)
        .setStatus(status)
        .setBytes(100L + status)
        .setLineBytes(80)
        .setCountry(country)
        .setIsBot(client.startsWith("bot"))
        .build();
  }
}
