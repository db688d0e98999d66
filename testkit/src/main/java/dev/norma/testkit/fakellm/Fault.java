package dev.norma.testkit.fakellm;

/** The misbehaviours the fake server can inject, each named as on the command line. */
public enum Fault {
  /** 429 with a {@code Retry-After} header, before any work is done. */
  RATE_LIMITED("429"),
  /** 500 Internal Server Error, before any work is done. */
  SERVER_ERROR("500"),
  /** 503 Service Unavailable, before any work is done. */
  UNAVAILABLE("503"),
  /** The request is held unanswered for the timeout hold, then answered 504 (or never). */
  TIMEOUT("timeout"),
  /** A 200 whose JSON body is cut in half (the byte count matches what is sent). */
  TRUNCATED("truncated"),
  /** A 200 whose complete JSON body has a syntax error (the colon after "choices" is missing). */
  MALFORMED("malformed"),
  /** A well-formed 200 whose answer names no option. */
  NO_OPTION("no-option");

  private final String label;

  Fault(String label) {
    this.label = label;
  }

  /** The name in flags ({@code --fault-<label>}) and in metrics ({@code fault="<label>"}). */
  public String label() {
    return label;
  }

  public static Fault ofLabel(String label) {
    for (Fault fault : values()) {
      if (fault.label.equals(label)) {
        return fault;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + label + "'");
  }
}
