package dev.norma.protocols.wire;

/**
 * Marker for messages and events that cross nodes or are persisted: they are serialized with
 * Jackson CBOR (bound to this interface in the runtime's serialization config), never with Java
 * serialization.
 */
public interface CborSerializable {
}
