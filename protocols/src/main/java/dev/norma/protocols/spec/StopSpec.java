package dev.norma.protocols.spec;

/**
 * When a run ends. Round counts are population rounds (N interactions each) and count from the
 * committed minority's introduction when there is one.
 *
 * @param maxRounds               hard cap on population rounds
 * @param onConvergence           stop as soon as the population has converged
 * @param convergenceWindowRounds naming game: converged when the latest W·N interactions all
 *                                succeeded
 * @param flipThreshold           a flip: non-committed production of the committed name
 *                                averages at least this ...
 * @param flipWindowRounds        ... over this many latest population rounds ...
 * @param flipWithinRounds        ... within this many rounds of the introduction
 * @param onFlip                  stop as soon as a flip is seen
 */
public record StopSpec(Long maxRounds, Boolean onConvergence, Integer convergenceWindowRounds,
                       Double flipThreshold, Integer flipWindowRounds, Integer flipWithinRounds,
                       Boolean onFlip) {
  public StopSpec {
    maxRounds = maxRounds == null ? 1000L : maxRounds;
    onConvergence = onConvergence == null ? Boolean.TRUE : onConvergence;
    convergenceWindowRounds = convergenceWindowRounds == null ? 3 : convergenceWindowRounds;
    flipThreshold = flipThreshold == null ? 0.95 : flipThreshold;
    flipWindowRounds = flipWindowRounds == null ? 3 : flipWindowRounds;
    flipWithinRounds = flipWithinRounds == null ? 30 : flipWithinRounds;
    onFlip = onFlip == null ? Boolean.TRUE : onFlip;
  }

  void validate(SpecErrors errors) {
    if (maxRounds < 1 || maxRounds > 1_000_000_000L) {
      errors.add("maxRounds", "expected 1..1000000000 population rounds, got " + maxRounds);
    }
    if (convergenceWindowRounds < 1 || convergenceWindowRounds > 1000) {
      errors.add("convergenceWindowRounds", "expected 1..1000, got " + convergenceWindowRounds);
    }
    if (flipThreshold.isNaN() || flipThreshold <= 0 || flipThreshold > 1) {
      errors.add("flipThreshold", "expected a share in (0, 1], got " + flipThreshold);
    }
    if (flipWindowRounds < 1 || flipWindowRounds > 1000) {
      errors.add("flipWindowRounds", "expected 1..1000, got " + flipWindowRounds);
    }
    if (flipWithinRounds < flipWindowRounds) {
      errors.add("flipWithinRounds", "expected at least flipWindowRounds (" + flipWindowRounds + "), got " + flipWithinRounds);
    }
  }
}
