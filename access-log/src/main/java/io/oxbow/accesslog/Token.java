package io.oxbow.accesslog;

import java.nio.charset.StandardCharsets;

/**
 * One element of a compiled format: either literal bytes that must appear as written, or a field.
 *
 * @param literal the bytes to match, or null for a field
 * @param field the field kind, or null for a literal
 * @param quoted whether the field sits between double quotes (quotes are not part of the literals)
 * @param directive the directive as written in the format string, for messages and extra fields
 */
record Token(byte[] literal, Field field, boolean quoted, String directive) {

  static Token literal(String text) {
    return new Token(text.getBytes(StandardCharsets.UTF_8), null, false, text);
  }

  static Token field(Field field, boolean quoted, String directive) {
    return new Token(null, field, quoted, directive);
  }

  boolean isLiteral() {
    return literal != null;
  }
}
