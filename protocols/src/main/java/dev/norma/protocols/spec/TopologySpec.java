package dev.norma.protocols.spec;

import java.util.List;

/** Who may meet whom. Only the complete graph exists so far; the field keeps room for others. */
public record TopologySpec(String kind) {
  public static final String COMPLETE = "complete";
  public static final List<String> KINDS = List.of(COMPLETE);

  public TopologySpec {
    kind = kind == null ? COMPLETE : kind;
  }

  void validate(SpecErrors errors) {
    if (!KINDS.contains(kind)) {
      errors.add("kind", "expected one of " + KINDS + ", got '" + kind + "'");
    }
  }
}
