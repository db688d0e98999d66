package dev.norma.protocols.journal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Marker for what durable studies write to the journal. Serialized with Jackson CBOR under the
 * {@code norma-persisted} binding: the manifest carries no class name, the payload carries a
 * named type id, so classes may be renamed or moved without breaking stored journals. Reading is
 * tolerant (unknown fields skipped, missing ones default), so fields may be added; a removed or
 * retyped field needs a new type id and a reader for the old one.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(AgentEvent.Played.class),
    @JsonSubTypes.Type(AgentEvent.Answered.class),
    @JsonSubTypes.Type(AgentSnapshot.class),
    @JsonSubTypes.Type(CoordinatorEvent.Recorded.class),
    @JsonSubTypes.Type(CoordinatorEvent.Ended.class),
    @JsonSubTypes.Type(CoordinatorEvent.CallsRecorded.class),
    @JsonSubTypes.Type(EncounterEvent.Settled.class),
})
public interface Persisted {
}
