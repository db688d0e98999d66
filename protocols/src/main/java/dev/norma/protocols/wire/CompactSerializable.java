package dev.norma.protocols.wire;

/**
 * Marker for the few hot-path messages that cross nodes once or twice per interaction (a play, a
 * proposal, an answer, a batch of records): the runtime writes them with its own compact binary
 * serializer, not Jackson. It extends {@link CborSerializable} so that the binding for this
 * interface is the more specific one and wins; nothing marked with it is ever persisted.
 */
public interface CompactSerializable extends CborSerializable {
}
