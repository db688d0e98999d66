package dev.norma.runtime.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A hand-made sweep directory in the format {@code norma sweep} writes: committed.fraction varied
 * over three values and policy.temperature over two, two replicates each, one failed run, a
 * winner's name with a comma (quoted) and a base spec whose memory policy is biased towards M.
 */
final class SweepFixture {
  static final String RUNS_HEADER = "run,committed.fraction,policy.temperature,replicate,seed,status,stopReason,"
      + "interactions,populationRounds,converged,convergenceInteraction,convergenceRound,winner,flipped,flipRound,"
      + "invalidInteractions,wallSeconds,interactionsPerSecond,measure.meanOffer,error";

  private SweepFixture() {
  }

  static Path write(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("runs"));
    Files.writeString(dir.resolve("sweep.json"), """
        {"format":1,"name":"tipping","seed":7,"replicates":2,"maxReplicates":null,"until":null,"parallel":2,
         "vary":[{"path":"committed.fraction","values":[0.0,0.1,0.3]},{"path":"policy.temperature","values":[0.1,0.5]}]}
        """);
    Files.writeString(dir.resolve("spec.yaml"), """
        format: 1
        name: tipping
        population:
          size: 24
        game:
          kind: naming
          names: [Q, M, X]
        policy:
          kind: memory
          temperature: 0.1
          bias: {M: 2.0}
        """);
    String runs = RUNS_HEADER + "\n"
        + row("r000", "0.0", "0.1", 0, "completed", true, 30, "Q", false, null)
        + row("r001", "0.0", "0.1", 1, "completed", true, 40, "M", false, null)
        + row("r002", "0.1", "0.1", 0, "completed", true, 50, "M", true, 12)
        + row("r003", "0.1", "0.1", 1, "completed", false, null, null, false, null)
        + row("r004", "0.3", "0.1", 0, "completed", true, 20, "M", true, 6)
        + row("r005", "0.3", "0.1", 1, "completed", true, 22, "M", true, 8)
        + row("r006", "0.0", "0.5", 0, "completed", true, 35, "Q", false, null)
        + row("r007", "0.0", "0.5", 1, "completed", true, 36, "\"Q,2\"", false, null)
        + row("r008", "0.1", "0.5", 0, "completed", false, null, null, false, null)
        + row("r009", "0.1", "0.5", 1, "failed", false, null, null, null, null)
        + row("r010", "0.3", "0.5", 0, "completed", true, 25, "M", true, 10)
        + row("r011", "0.3", "0.5", 1, "completed", false, null, null, false, null);
    Files.writeString(dir.resolve("runs.csv"), runs);
    return dir;
  }

  /** The conditions of {@link #writeIdentity} and each one's "we" rate per 1,000 tokens by replicate. */
  static final java.util.Map<String, double[]> IDENTITY_WE = java.util.Map.of(
      "control", new double[] {40, 44, 48}, "unique", new double[] {10, 20, 30});

  /**
   * A hand-made sweep of an in-group identity study, as {@code norma sweep} writes it:
   * {@code game.settings.turns} varied over 4 and 8, three replicates each, one more that failed;
   * every measure of the two conditions {@code control} and {@code unique} in {@code runs.csv}. At
   * turns 4 a condition's "we" rate is {@link #IDENTITY_WE}'s by replicate, at 8 twice that; its
   * cooperative share the rate over 100; the figures over all debates are control's.
   */
  static Path writeIdentity(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("runs"));
    Files.writeString(dir.resolve("sweep.json"), """
        {"format":1,"name":"identity","seed":11,"replicates":3,"maxReplicates":null,"until":null,"parallel":2,
         "vary":[{"path":"game.settings.turns","values":[4,8]}]}
        """);
    Files.writeString(dir.resolve("spec.yaml"), """
        format: 1
        name: identity
        population:
          size: 8
        game:
          kind: identity
        """);
    List<String> figures = List.of("wePer1k", "wePer1kLow", "wePer1kHigh", "wePerTurn", "weDrift", "cooperative",
        "adversarial", "weAre", "theyAre", "invalid");
    List<String> measures = new java.util.ArrayList<>(List.of("wePer1k", "cooperative"));
    for (String condition : List.of("control", "unique")) {
      figures.forEach(figure -> measures.add(condition + "_" + figure));
    }
    StringBuilder runs = new StringBuilder("run,game.settings.turns,replicate,seed,status,populationRounds");
    measures.forEach(measure -> runs.append(",measure.").append(measure));
    runs.append(",error\n");
    for (int turns : new int[] {4, 8}) {
      for (int replicate = 0; replicate < 4; replicate++) {
        boolean failed = replicate == 3;
        runs.append("game.settings.turns=").append(turns).append(String.format("_r%02d", replicate)).append(',')
            .append(turns).append(',').append(replicate).append(',').append(100 + replicate).append(',')
            .append(failed ? "failed" : "completed").append(",3");
        for (String measure : measures) {
          String condition = measure.contains("_") ? measure.substring(0, measure.indexOf('_')) : "control";
          double we = failed ? 0 : IDENTITY_WE.get(condition)[replicate] * turns / 4;
          double value = measure.endsWith("cooperative") ? we / 100 : measure.endsWith("invalid") ? 0
              : measure.endsWith("Low") ? we - 5 : measure.endsWith("High") ? we + 5 : we;
          runs.append(',').append(failed ? "" : Double.toString(value));
        }
        runs.append(failed ? ",boom\n" : ",\n");
      }
    }
    Files.writeString(dir.resolve("runs.csv"), runs.toString());
    return dir;
  }

  private static String row(String run, String fraction, String temperature, int replicate, String status,
                            boolean converged, Integer round, String winner, Boolean flipped, Integer flipRound) {
    return String.join(",", run, fraction, temperature, Integer.toString(replicate), Integer.toString(100 + replicate),
        status, converged ? "converged" : "max-rounds", "2400", "100", Boolean.toString(converged),
        round == null ? "" : Integer.toString(round * 24), round == null ? "" : Integer.toString(round),
        winner == null ? "" : winner, flipped == null ? "" : flipped.toString(),
        flipRound == null ? "" : flipRound.toString(), "0", "0.5", "4800", "",
        "failed".equals(status) ? "\"boom, with a comma\"" : "") + "\n";
  }
}
