package dev.norma.protocols.spec;

/** Who may meet whom. Only the complete graph exists so far; the field keeps room for others. */
public record TopologySpec(String kind) {
  public static final String COMPLETE = "complete";

  public TopologySpec {
    kind = kind == null ? COMPLETE : kind;
  }

  void validate(SpecErrors errors) {
    if (!COMPLETE.equals(kind)) {
      errors.add("kind", "expected one of [complete], got '" + kind + "'");
    }
  }
}
