package io.oxbow.registry.serde;

import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.SpecificFixed;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro 1.12 instantiate generated classes while decoding. Avro refuses to load any class named
 * in a schema unless its package is listed in {@code org.apache.avro.SERIALIZABLE_PACKAGES}; a
 * deserializer configured with {@code specific.avro.reader=true} asks for generated classes, so it
 * adds trust for exactly those: classes implementing {@link SpecificRecord}, extending {@link
 * SpecificFixed}, or enums implementing {@link GenericEnumSymbol}. Everything else keeps Avro's
 * rules.
 */
final class GeneratedClassTrust {
  private static boolean installed;

  private GeneratedClassTrust() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityPredicate generated =
        c ->
            SpecificRecord.class.isAssignableFrom(c)
                || SpecificFixed.class.isAssignableFrom(c)
                || (c.isEnum() && GenericEnumSymbol.class.isAssignableFrom(c));
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous, generated));
    installed = true;
  }
}
