package io.oxbow.registry.server;

/**
 * One record of the {@code _schemas} topic: UTF-8 JSON key and value, a {@code null} value being a
 * tombstone.
 *
 * @param key the key bytes
 * @param value the value bytes, or {@code null} for a tombstone
 */
public record LogRecord(byte[] key, byte[] value) {}
