package io.oxbow.accesslog;

import io.oxbow.contracts.avro.ClientKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks one line against a compiled format, left to right, without backtracking: each field's
 * extent is found from its kind and the first byte of the literal that follows it, so the work is
 * linear in the line length. One instance per line; values are read by {@link EventAssembler}.
 */
final class LineScanner {

  private final byte[] b;
  private final int lineStart;
  private final int end;
  private final boolean ascii;
  private int pos;

  private RejectReason reason;
  private int failPos;

  // extent of the field just read
  private int vs;
  private int ve;
  private boolean escaped;

  String client;
  ClientKind clientKind;
  String ident;
  String user;
  final ClfTime time = new ClfTime();
  String request;
  int status = -1;
  Long bytes;
  String referrer;
  String userAgent;
  String forwardedFor;
  String vhost;
  Integer port;
  Long durationMicros;

  /** Values of directives without an event field, then trailing fields, in order. */
  List<String> extras;

  /** Trailing fields after the format's last token, in order. */
  List<String> trailing;

  /** How many of the first trailing fields were quoted. */
  int leadingQuoted;

  LineScanner(byte[] b, int lineStart, int end, boolean ascii) {
    this.b = b;
    this.ascii = ascii;
    this.lineStart = lineStart;
    this.end = end;
    this.pos = lineStart;
  }

  RejectReason reason() {
    return reason;
  }

  /** 1-based column of the failure. */
  int column() {
    return failPos - lineStart + 1;
  }

  private boolean fail(RejectReason why, int at) {
    reason = why;
    failPos = Math.min(at, end);
    return false;
  }

  /** Reads the whole line; false with {@link #reason()} set when it does not fit the format. */
  boolean scan(List<Token> tokens, int optionalFrom) {
    int n = tokens.size();
    Field lastField = null;
    for (int i = 0; i < n; i++) {
      if (pos >= end && i >= optionalFrom) {
        return true;
      }
      Token t = tokens.get(i);
      if (t.isLiteral()) {
        if (!matchLiteral(t.literal(), lastField)) {
          return false;
        }
        continue;
      }
      int next = i + 1 < n && tokens.get(i + 1).isLiteral() ? tokens.get(i + 1).literal()[0] : -1;
      if (!readField(t, next, i == n - 1)) {
        return false;
      }
      lastField = t.field();
    }
    return readTrailing(lastField);
  }

  private boolean matchLiteral(byte[] lit, Field lastField) {
    for (int k = 0; k < lit.length; k++, pos++) {
      if (pos >= end) {
        return fail(RejectReason.TRUNCATED, end);
      }
      if (b[pos] != lit[k]) {
        RejectReason why =
            k == 0 && lastField != null ? lastField.reason() : RejectReason.UNEXPECTED_TEXT;
        return fail(why, pos);
      }
    }
    return true;
  }

  private boolean readField(Token t, int next, boolean last) {
    Field f = t.field();
    if (pos >= end) {
      return fail(RejectReason.TRUNCATED, end);
    }
    if (t.quoted()) {
      if (b[pos] != '"') {
        return fail(f.reason(), pos);
      }
      if (!readQuoted(next, last)) {
        return false;
      }
    } else if (f == Field.TIME || f == Field.TIME_BRACKETED) {
      int len = f == Field.TIME ? ClfTime.LENGTH : ClfTime.LENGTH + 2;
      vs = pos;
      ve = Math.min(end, pos + len);
      pos = ve;
    } else {
      readBare(next < 0 ? ' ' : next);
    }
    return FieldValues.store(this, f, b, vs, ve, escaped);
  }

  /** The quoted value at pos; the closing quote is one followed by {@code next} or the end. */
  private boolean readQuoted(int next, boolean last) {
    int p = pos + 1;
    escaped = false;
    while ((p = ByteScan.indexOfQuoteOrBackslash(b, p, end)) < end) {
      if (b[p] == '\\') {
        escaped = true;
        p += 2;
        continue;
      }
      if (p + 1 >= end || b[p + 1] == next || (next < 0 && isBlank(b[p + 1]))) {
        vs = pos + 1;
        ve = p;
        pos = p + 1;
        return true;
      }
      p++;
    }
    if (!last) {
      return fail(RejectReason.TRUNCATED, end);
    }
    // an unterminated final quoted field keeps the rest of the line (see docs/parsing.md)
    vs = pos + 1;
    ve = end;
    pos = end;
    return true;
  }

  private void readBare(int stop) {
    escaped = false;
    vs = pos;
    while (pos < end && b[pos] != stop && !(stop == ' ' && b[pos] == '\t')) {
      if (b[pos] == '\\') {
        escaped = true;
      }
      pos++;
    }
    ve = pos;
  }

  private boolean readTrailing(Field lastField) {
    while (true) {
      int before = pos;
      while (pos < end && isBlank(b[pos])) {
        pos++;
      }
      if (pos >= end) {
        return true;
      }
      if (pos == before) {
        return fail(lastField == null ? RejectReason.UNEXPECTED_TEXT : lastField.reason(), pos);
      }
      boolean quoted = b[pos] == '"';
      if (quoted) {
        readQuoted(-1, true);
      } else {
        readBare(' ');
      }
      if (trailing == null) {
        trailing = new ArrayList<>(4);
      }
      if (quoted && leadingQuoted == trailing.size()) {
        leadingQuoted++;
      }
      trailing.add(text(vs, ve, escaped));
    }
  }

  /** Records a field-level failure at {@code at}; always returns false. */
  boolean reject(RejectReason why, int at) {
    reason = why;
    failPos = at;
    return false;
  }

  /** The text of {@code b[from, to)}, escapes decoded (see {@link FieldText}). */
  String text(int from, int to, boolean hasEscapes) {
    return hasEscapes ? FieldText.decode(b, from, to, true) : FieldText.plain(b, from, to, ascii);
  }

  void addExtra(String value) {
    if (extras == null) {
      extras = new ArrayList<>(4);
    }
    extras.add(value);
  }

  private static boolean isBlank(byte c) {
    return c == ' ' || c == '\t';
  }
}
