package io.oxbow.runtime.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an error answer does with the part of the request body its handler left unread, within the
 * {@link HttpLimits} error-drain bounds.
 *
 * <p>A client still sending when the answer goes out and the connection closes may see the
 * connection reset and lose the answer; reading the rest first avoids that and keeps the connection
 * usable. But reading costs the request thread time, so it is bounded: at most {@code
 * errorDrainBytes} (a longer declared body is not read at all) and at most {@code errorDrainTime}
 * (the connection's idle timeout is shortened to what is left of it while reading). An answer to an
 * unauthenticated or forbidden request (401, 403) reads nothing: a client without the right to send
 * gets no work done for it. Whenever the body is not read to its end, the answer says {@code
 * Connection: close} and the server half-closes after it, so the client reads the answer before the
 * connection goes.
 */
final class UnreadBody {
  private static final Logger log = LoggerFactory.getLogger(UnreadBody.class);

  private UnreadBody() {}

  /**
   * Drops the unread body within {@code limits}, or marks the answer {@code Connection: close}.
   *
   * @return true when the whole body was read (the connection stays usable)
   */
  static boolean drop(Context ctx, int status, HttpLimits limits) {
    long declared = ctx.req().getContentLengthLong();
    if (declared == 0 || (declared < 0 && !"chunked".equalsIgnoreCase(transferEncoding(ctx)))) {
      return true;
    }
    boolean read =
        status != 401
            && status != 403
            && declared <= limits.errorDrainBytes()
            && readToEnd(ctx, limits);
    if (!read) {
      ctx.header("Connection", "close");
    }
    return read;
  }

  private static String transferEncoding(Context ctx) {
    return ctx.req().getHeader("Transfer-Encoding");
  }

  private static boolean readToEnd(Context ctx, HttpLimits limits) {
    EndPoint endPoint = endPoint(ctx);
    long idleTimeout = endPoint == null ? -1 : endPoint.getIdleTimeout();
    long deadline = System.nanoTime() + limits.errorDrainTime().toNanos();
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] scratch = new byte[16 * 1024];
      long dropped = 0;
      while (true) {
        long leftMs = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0 || dropped > limits.errorDrainBytes()) {
          return false;
        }
        if (endPoint != null) {
          endPoint.setIdleTimeout(Math.min(leftMs, idleTimeout > 0 ? idleTimeout : leftMs));
        }
        int n = in.read(scratch);
        if (n < 0) {
          return true;
        }
        dropped += n;
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, stalled or was cut off, or the handler read the body as text
      log.debug("{} {}: request body not dropped: {}", ctx.method(), ctx.path(), e.toString());
      return false;
    } finally {
      if (endPoint != null && idleTimeout > 0) {
        endPoint.setIdleTimeout(idleTimeout);
      }
    }
  }

  private static EndPoint endPoint(Context ctx) {
    try {
      ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
      return request == null ? null : request.getConnectionMetaData().getConnection().getEndPoint();
    } catch (RuntimeException notJetty) {
      return null;
    }
  }
}
