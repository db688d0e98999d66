package dev.norma.protocols.spec;

import java.util.ArrayList;
import java.util.List;

/** Collects validation errors, each named by the dotted path of its field. */
public final class SpecErrors {
  private final List<String> sink;
  private final String prefix;
  private final SubmissionRules rules;

  public SpecErrors() {
    this((SubmissionRules) null);
  }

  /** @param rules what a spec submitted to a node may ask of it; null for a spec run by its own author */
  public SpecErrors(SubmissionRules rules) {
    this(new ArrayList<>(), "", rules);
  }

  private SpecErrors(List<String> sink, String prefix, SubmissionRules rules) {
    this.sink = sink;
    this.prefix = prefix;
    this.rules = rules;
  }

  /** Errors of a nested object, prefixed by its path. */
  public SpecErrors at(String field) {
    return new SpecErrors(sink, prefix + field + ".", rules);
  }

  /**
   * Errors anywhere in the same spec, named by their full path: for a check that reads other
   * sections than its own, such as a game's {@link GameSection} rejecting a policy it cannot play
   * ({@code gameErrors.root().at("policy").add("kind", ...)}).
   */
  public SpecErrors root() {
    return new SpecErrors(sink, "", rules);
  }

  /** The rules of a spec submitted to a node, or null for a spec its author runs. */
  public SubmissionRules rules() {
    return rules;
  }

  public void add(String field, String message) {
    sink.add(prefix + field + ": " + message);
  }

  public List<String> messages() {
    return List.copyOf(sink);
  }

  public boolean isEmpty() {
    return sink.isEmpty();
  }
}
