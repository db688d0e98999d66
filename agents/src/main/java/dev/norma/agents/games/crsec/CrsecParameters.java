package dev.norma.agents.games.crsec;

import java.util.List;

/**
 * The settings of a CRSEC study ({@code game.settings}, and the rooms of {@code topology}), checked.
 *
 * @param populationSize    agents, a multiple of {@code roomSize}
 * @param roomSize          agents per room (café), 2 or more: {@code topology.size}
 * @param advocatesPerRoom  norm advocates per room at the start (seats 0 … a − 1 of each room); 0
 *                          removes them, the study's control
 * @param moveProbability   the chance that an agent changes seats (and so, mostly, rooms) before a period:
 *                          {@code topology.moveProbability}
 * @param themes            the behaviours norms are about
 * @param speakUp           ordinary agents' mean chance to speak up about a broken norm (each draws its
 *                          own from [0, 2·speakUp], capped at 1: its personality)
 * @param compliance        the chance that an agent with an active norm on a theme acts by it
 *                          rather than by habit
 * @param utilityThreshold  the utility (1–100) a candidate needs to become active
 * @param persuasion        utility added per earlier hearing of the same norm
 * @param synthesisInterval periods between syntheses (K): after periods K − 1, 2K − 1, …
 * @param nameSlip          the chance that a listener takes a norm as about the person told (a
 *                          personal name as subject), which evaluation then rejects
 * @param mishear           the chance that a listener takes the norm for its opposite, which is then
 *                          inconsistent with its source and rejected
 * @param descriptiveShare  the share of the others in its room that must act alike on a theme for
 *                          an agent to identify a descriptive norm of it
 */
public record CrsecParameters(int populationSize, int roomSize, int advocatesPerRoom, double moveProbability,
                              List<Theme> themes, double speakUp, double compliance, int utilityThreshold,
                              int persuasion, int synthesisInterval, double nameSlip, double mishear,
                              double descriptiveShare) {
  public CrsecParameters {
    themes = List.copyOf(themes);
    if (roomSize < 2 || populationSize < roomSize || populationSize % roomSize != 0) {
      throw new IllegalArgumentException("population of " + populationSize + " in rooms of " + roomSize);
    }
    if (advocatesPerRoom < 0 || advocatesPerRoom > roomSize || themes.isEmpty()) {
      throw new IllegalArgumentException("advocates per room in 0.." + roomSize + " and at least one theme");
    }
  }

  /** Ren et al.'s café (10 seats, 3 advocates) repeated, with the defaults of every setting. */
  public static CrsecParameters standard(int populationSize) {
    return new CrsecParameters(populationSize, 10, 3, 0.1, Theme.DEFAULTS, 0.3, 0.9, 50, 15, 5, 0.05, 0.02, 0.8);
  }

  public int rooms() {
    return populationSize / roomSize;
  }
}
