package dev.norma.protocols.spec;

/** Payoffs of the naming game (Ashery et al. 2025 use +100 and -50). */
public record PayoffSpec(Integer success, Integer failure) {
  public PayoffSpec {
    success = success == null ? 100 : success;
    failure = failure == null ? -50 : failure;
  }

  void validate(SpecErrors errors) {
    if (success <= failure) {
      errors.add("success", "expected a success payoff greater than the failure payoff ("
          + failure + "), got " + success);
    }
  }
}
