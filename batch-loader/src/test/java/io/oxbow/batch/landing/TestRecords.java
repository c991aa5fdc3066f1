package io.oxbow.batch.landing;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Small Avro records for landing tests: v1 {id, event_time}, v2 adds an optional {@code note}. */
final class TestRecords {
  static final Schema V1 =
      SchemaBuilder.record("Hit")
          .namespace("io.oxbow.test")
          .fields()
          .requiredString("id")
          .requiredLong("event_time")
          .endRecord();
  static final Schema V2 =
      SchemaBuilder.record("Hit")
          .namespace("io.oxbow.test")
          .fields()
          .requiredString("id")
          .requiredLong("event_time")
          .optionalString("note")
          .endRecord();

  private TestRecords() {}

  static GenericRecord v1(String id, long eventTime) {
    GenericRecord r = new GenericData.Record(V1);
    r.put("id", id);
    r.put("event_time", eventTime);
    return r;
  }

  static GenericRecord v2(String id, long eventTime, String note) {
    GenericRecord r = new GenericData.Record(V2);
    r.put("id", id);
    r.put("event_time", eventTime);
    r.put("note", note);
    return r;
  }
}
