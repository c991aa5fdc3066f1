package io.oxbow.serving.query;

import java.util.OptionalLong;

/**
 * The batch view: groups read from the lake's Parquet files (local or S3, by the view's published
 * manifest), and the batch watermark W below which its windows are final. Reads of a lake that
 * cannot be read now throw a 503 {@link QueryException}, never another exception.
 */
public interface BatchLayer extends ViewLayer {
  /**
   * The batch watermark of {@code view} in UTC epoch millis: every window ending at or before it is
   * final in the batch view. Empty when nothing has been published yet (then every window is
   * answered from the speed view).
   */
  OptionalLong watermark(String view);
}
