package dev.norma.protocols.run;

import dev.norma.protocols.wire.CborSerializable;

/**
 * Where a run stands, as its coordinator sees it (the answer to {@code norma status}).
 *
 * @param state        {@code starting}, {@code running}, or the summary's status once it ended
 *                     ({@code completed}, {@code interrupted}, {@code cancelled}, {@code failed})
 * @param interactions interactions recorded, in index order, for good
 * @param resultsNode  the node (pekko address) whose disk holds the run directory
 * @param summary      the run's summary once it ended, else null
 */
public record RunStatus(String runId, String name, String state, boolean durable, long interactions,
                        long populationRounds, long maxRounds, double successRate, String topName,
                        double topShare, double perSecond, String resultsNode, String message,
                        Summary summary) implements CborSerializable {

  public boolean ended() {
    return summary != null || "failed".equals(state);
  }
}
