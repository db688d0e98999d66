package dev.norma.runtime.inference;

/**
 * A call the gateway did not answer because it closed: the run is over or stopping. Not an
 * answer and not a failure of the endpoint, so no decision follows from it; a durable run asks
 * again when it resumes.
 */
public final class GatewayClosedException extends IllegalStateException {
  public GatewayClosedException() {
    super("the inference gateway is closed");
  }

  /** Whether {@code failure}, or what it wraps, is a call cut short by the gateway closing. */
  public static boolean causedBy(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof GatewayClosedException) {
        return true;
      }
    }
    return false;
  }
}
