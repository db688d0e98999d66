package dev.norma.agents.games.crsec;

import dev.norma.agents.games.crsec.NormRecord.Provenance;
import dev.norma.agents.games.crsec.NormRecord.Reason;
import dev.norma.agents.games.crsec.NormRecord.Status;
import dev.norma.agents.games.crsec.NormRecord.Type;
import dev.norma.agents.study.Interventions;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule-based policy of the CRSEC study: Ren et al.'s four modules as plain steps over minds,
 * and one period in one room ({@link #playRoom}). Every draw comes from the acting mind's own
 * stream, in an order fixed by seat, so a room's period is the same whatever thread plays it.
 *
 * <ul>
 *   <li><b>Creation</b> ({@link #create}): an advocate writes its personal norms from its stances,
 *       one injunctive norm per theme for the proper action, active from the start.
 *   <li><b>Compliance</b> ({@link #act}): an agent with an active injunctive norm on a theme acts
 *       by it with probability {@code compliance}, otherwise by habit.
 *   <li><b>Spreading</b>: an observed action that breaks one of an agent's active injunctive norms is
 *       a norm conflict; it speaks up (advocates always, others with their own assertiveness) to one
 *       of those it saw break it, and the listener identifies a candidate norm from what it was told.
 *       An agent also identifies a descriptive norm when at least {@code descriptiveShare} of the
 *       others in its room act alike on a theme.
 *   <li><b>Evaluation</b> ({@link #evaluate}): immediate checks (no personal name, consistent with its
 *       source, not a duplicate, no conflict with an active norm, utility at least the threshold),
 *       then activation; a candidate below the threshold stays a candidate, and each later hearing
 *       of it adds {@code persuasion} to its next score. Every {@code synthesisInterval} periods
 *       ({@link #synthesise}) an agent holding two or more active injunctive norms of one group of
 *       themes merges them into the group's abstract norm, which must pass the same checks and
 *       then replaces them.
 * </ul>
 *
 * <p>A conflict in the measures is wider: an observed action that breaks the observer's active
 * injunctive norm, or where it holds none on the theme, its stance (it minds the improper action).
 */
public final class CrsecRules {
  /** A room's outcome, in {@link #OUTCOME_COLUMNS} order. */
  static final int ROOM = 0;
  static final int CONFLICTS = 1;
  static final int NORM_CONFLICTS = 2;
  static final int CONVERSATIONS = 3;
  static final int ADOPTED = 4;
  static final int REJECTED = 5;
  static final int ACTIONS = 6;
  static final int IMPROPER = 7;
  static final int NORM_BOUND = 8;
  static final int COMPLIED = 9;
  /** Turns of a language model with no usable answer (always 0 by rule). */
  static final int INVALID = 10;
  static final List<String> OUTCOME_COLUMNS = List.of("room", "conflicts", "normConflicts", "conversations",
      "adopted", "rejected", "actions", "improperActions", "normBoundActions", "compliedActions", "invalidTurns");

  /** The utility an agent gives a norm its stance agrees with, is indifferent to, or opposes. */
  static final int AGREEING = 80;
  static final int NEUTRAL = 55;
  static final int OPPOSED = 25;
  /** Utility noise: uniform in ±this. */
  static final int NOISE = 10;

  private final CrsecParameters parameters;
  private final NormCatalogue catalogue;
  private final CrsecInterventions interventions;

  public CrsecRules(CrsecParameters parameters) {
    this(parameters, CrsecInterventions.NONE);
  }

  /** The rules with advocates becoming ordinary customers, and agents leaving, as {@code interventions} says. */
  CrsecRules(CrsecParameters parameters, CrsecInterventions interventions) {
    this.parameters = parameters;
    this.catalogue = new NormCatalogue(parameters.themes());
    this.interventions = interventions;
  }

  /**
   * The study's interventions, each with the advocates it makes ordinary customers ({@code uncommit})
   * or the agents that leave ({@code removeAgents}).
   */
  public List<Interventions.Applied> interventions() {
    return interventions.applied();
  }

  /** Who is still in the study at each period: everyone, unless a {@code removeAgents} takes some. */
  CrsecInterventions presence() {
    return interventions;
  }

  public CrsecParameters parameters() {
    return parameters;
  }

  public NormCatalogue catalogue() {
    return catalogue;
  }

  /**
   * Agent {@code id} as the study starts: an advocate if its seat is among the first
   * {@code advocatesPerRoom} of its room (and no intervention uncommits it at period 0), with its
   * personal norms written; otherwise an ordinary customer whose stance on each theme (a habit of
   * the improper action with probability {@code habitShare}, else minding it with probability
   * {@code mindedShare}, else indifferent) and assertiveness are drawn from its own stream.
   */
  public CrsecMind newMind(int id, long runSeed) {
    return newMind(id, runSeed, true);
  }

  /**
   * Agent {@code id} as {@link #newMind(int, long)} makes it, an advocate's personal norms written
   * now only when {@code writeNorms} (a language model writes them at the advocate's first period).
   */
  CrsecMind newMind(int id, long runSeed, boolean writeNorms) {
    CrsecMind mind = new CrsecMind(id, runSeed, parameters.themes().size(), catalogue.size());
    boolean advocate = CrsecInterventions.seatedAsAdvocate(parameters, id) && !interventions.ordinaryAt(id, 0);
    if (!advocate) {
      drawOrdinaryPersona(mind);
      return mind;
    }
    int[] stances = new int[parameters.themes().size()];
    java.util.Arrays.fill(stances, CrsecMind.MINDS);
    mind.persona(true, 1000, stances);
    if (writeNorms) {
      create(mind);
      mind.created(true);
    }
    return mind;
  }

  /** An ordinary customer's stances and assertiveness, drawn from the mind's own stream. */
  private void drawOrdinaryPersona(CrsecMind mind) {
    List<Theme> themes = parameters.themes();
    int[] stances = new int[themes.size()];
    for (int t = 0; t < stances.length; t++) {
      Theme theme = themes.get(t);
      stances[t] = mind.nextDouble() < theme.habitShare() ? CrsecMind.HABIT
          : mind.nextDouble() < theme.mindedShare() ? CrsecMind.MINDS : CrsecMind.INDIFFERENT;
    }
    int assertiveness = (int) Math.min(1000, Math.round(2000 * parameters.speakUp() * mind.nextDouble()));
    mind.persona(false, assertiveness, stances);
  }

  /**
   * The {@code uncommit} interventions reaching a room at {@code period}: each advocate in it that
   * is an ordinary customer from now on drops the norms it wrote itself (those it learnt from
   * others stay) and takes an ordinary customer's persona, drawn from its own stream as
   * {@link #newMind} draws one. It never advocates again. Applied when the room plays, so a mind
   * that sat out periods takes the change at its next one.
   */
  void uncommitAdvocates(CrsecMind[] room, long period) {
    for (CrsecMind mind : room) {
      if (mind.advocate() && interventions.ordinaryAt(mind.id(), period)) {
        for (int norm = 0; norm < catalogue.size(); norm++) {
          if (mind.holds(norm) && mind.provenance(norm) == Provenance.OWN) {
            mind.drop(norm);
          }
        }
        drawOrdinaryPersona(mind);
      }
    }
  }

  /** Creation: the advocate's personal norms, one per theme, active, from its own stances. */
  void create(CrsecMind mind) {
    for (int t = 0; t < parameters.themes().size(); t++) {
      int norm = catalogue.specific(t, Type.INJUNCTIVE, true);
      mind.heard(norm);
      mind.hold(norm, Status.ACTIVE, AGREEING + mind.nextInt(100 - AGREEING + 1), Reason.OWN_STANCE,
          Provenance.OWN, 0);
    }
  }

  /**
   * The active injunctive norm by which the agent judges actions on theme t: the group's abstract
   * norm if it holds it, else the theme's proper or improper one; -1 when it holds none.
   */
  int guide(CrsecMind mind, int theme) {
    int general = catalogue.abstractOf(theme);
    if (general >= 0 && mind.active(general)) {
      return general;
    }
    for (boolean proper : new boolean[] {true, false}) {
      int norm = catalogue.specific(theme, Type.INJUNCTIVE, proper);
      if (mind.active(norm)) {
        return norm;
      }
    }
    return -1;
  }

  /**
   * Compliance: the action the agent takes on theme t, true for the proper one. With an active
   * injunctive norm it follows the norm with probability {@code compliance} (drawn only when the
   * norm and its habit differ), else its habit.
   */
  boolean act(CrsecMind mind, int theme) {
    boolean habit = mind.stance(theme) != CrsecMind.HABIT;
    int norm = guide(mind, theme);
    if (norm < 0 || catalogue.proper(norm) == habit) {
      return habit;
    }
    return mind.nextDouble() < parameters.compliance() ? catalogue.proper(norm) : habit;
  }

  /**
   * Plays one period in one room: advocates uncommitted from this period become ordinary customers
   * ({@link #uncommitAdvocates}); everyone acts on every theme, sees what the others did, speaks
   * up about what broke its norms and identifies descriptive norms; then, at a synthesis period,
   * everyone synthesises. Only the room's minds change.
   *
   * @param room the minds present in the room, in seat order: fewer than the room's seats once some
   *             agents have left (one alone acts, sees nobody and talks to nobody; an empty room
   *             plays nothing)
   * @return the outcome, in {@link #OUTCOME_COLUMNS} order
   */
  public double[] playRoom(CrsecMind[] room, int roomNumber, long period) {
    uncommitAdvocates(room, period);
    int n = room.length;
    int themes = parameters.themes().size();
    double[] outcome = newOutcome(roomNumber);
    boolean[][] proper = new boolean[n][themes];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < themes; t++) {
        proper[i][t] = act(room[i], t);
        tally(room[i], t, proper[i][t], outcome);
      }
    }
    Conflicts conflicts = observeRoom(room, proper, outcome);
    // Spreading: speak up to one of those who broke a norm; the listener identifies and evaluates.
    for (int i = 0; i < n; i++) {
      if (conflicts.counts()[i] == 0) {
        continue;
      }
      CrsecMind speaker = room[i];
      if (!speaker.advocate() && speaker.nextInt(1000) >= speaker.assertiveness()) {
        continue;
      }
      int chosen = conflicts.pick(i, speaker);
      CrsecMind listener = room[chosen / themes];
      int said = guide(speaker, chosen % themes);
      outcome[CONVERSATIONS]++;
      count(outcome, converse(speaker, listener, said));
    }
    describe(room, proper, outcome);
    synthesiseAll(room, period, outcome);
    return outcome;
  }

  /** A room's outcome before its period: its number, nothing counted. */
  static double[] newOutcome(int roomNumber) {
    double[] outcome = new double[OUTCOME_COLUMNS.size()];
    outcome[ROOM] = roomNumber;
    return outcome;
  }

  /**
   * Whether an agent's action on theme t is in question: it holds an active injunctive norm on it
   * that asks for the action its habit is not (else it acts by habit, which is also the norm's).
   */
  boolean torn(CrsecMind mind, int theme) {
    int norm = guide(mind, theme);
    return norm >= 0 && catalogue.proper(norm) != (mind.stance(theme) != CrsecMind.HABIT);
  }

  /** Counts the action an agent took on theme t, {@code proper} or not, in {@code outcome}. */
  void tally(CrsecMind mind, int theme, boolean proper, double[] outcome) {
    int norm = guide(mind, theme);
    outcome[ACTIONS]++;
    outcome[IMPROPER] += proper ? 0 : 1;
    if (norm >= 0) {
      outcome[NORM_BOUND]++;
      outcome[COMPLIED] += proper == catalogue.proper(norm) ? 1 : 0;
    }
  }

  /**
   * What each agent of a room made of the others' actions ({@code proper[seat][theme]}): its norm
   * conflicts, as (violator, theme) pairs {@code violator * themes + theme}, in seat and theme
   * order, for speaking up.
   */
  record Conflicts(int[][] violations, int[] counts) {
    /** The one of seat i's conflicts it speaks up about, drawn from its own stream. */
    int pick(int seat, CrsecMind speaker) {
      return violations[seat][speaker.nextInt(counts[seat])];
    }
  }

  /** Observation: counts every conflict in {@code outcome} and returns each agent's norm conflicts. */
  Conflicts observeRoom(CrsecMind[] room, boolean[][] proper, double[] outcome) {
    int n = room.length;
    int themes = parameters.themes().size();
    int[][] violations = new int[n][];
    int[] violationCounts = new int[n];
    for (int i = 0; i < n; i++) {
      violations[i] = new int[(n - 1) * themes];
      for (int t = 0; t < themes; t++) {
        int norm = guide(room[i], t);
        boolean expectsProper = norm >= 0 ? catalogue.proper(norm) : true;
        boolean minds = norm >= 0 || room[i].stance(t) == CrsecMind.MINDS;
        for (int j = 0; j < n; j++) {
          if (j != i && minds && proper[j][t] != expectsProper) {
            outcome[CONFLICTS]++;
            if (norm >= 0) {
              outcome[NORM_CONFLICTS]++;
              violations[i][violationCounts[i]++] = j * themes + t;
            }
          }
        }
      }
    }
    return new Conflicts(violations, violationCounts);
  }

  /** Observation of what most do: each agent identifies and evaluates the descriptive norms its room shows. */
  void describe(CrsecMind[] room, boolean[][] proper, double[] outcome) {
    for (int i = 0; i < room.length; i++) {
      for (Noticed noticed : noticed(room, proper, i)) {
        count(outcome, observe(room[i], noticed.norm(), noticed.share()));
      }
    }
  }

  /**
   * A descriptive norm an agent sees its room show: on the norm's theme, {@code alike} of the
   * {@code others} in the room acted as it says, at least {@code descriptiveShare} of them.
   *
   * @param share {@code alike / others}
   */
  record Noticed(int norm, int alike, int others, double share) {
  }

  /**
   * The descriptive norms seat {@code seat} sees in what the others did ({@code proper[seat][theme]}),
   * in theme order: on each theme where at least {@code descriptiveShare} of them acted alike, the
   * norm saying so, unless the agent holds it active already.
   */
  List<Noticed> noticed(CrsecMind[] room, boolean[][] proper, int seat) {
    int n = room.length;
    List<Noticed> seen = new ArrayList<>();
    for (int t = 0; t < parameters.themes().size(); t++) {
      int properOthers = 0;
      for (int j = 0; j < n; j++) {
        properOthers += j != seat && proper[j][t] ? 1 : 0;
      }
      double share = properOthers / (double) (n - 1);
      boolean alike = share >= parameters.descriptiveShare() || 1 - share >= parameters.descriptiveShare();
      boolean properAlike = share >= parameters.descriptiveShare();
      int norm = catalogue.specific(t, Type.DESCRIPTIVE, properAlike);
      if (alike && !room[seat].active(norm)) {
        seen.add(new Noticed(norm, properAlike ? properOthers : n - 1 - properOthers, n - 1,
            Math.max(share, 1 - share)));
      }
    }
    return seen;
  }

  /** At a synthesis period, everyone in the room synthesises each abstract norm. */
  void synthesiseAll(CrsecMind[] room, long period, double[] outcome) {
    int themes = parameters.themes().size();
    if (synthesisPeriod(period)) {
      for (CrsecMind mind : room) {
        for (int group = catalogue.size() - 1; group >= 4 * themes; group--) {
          count(outcome, synthesise(mind, group));
        }
      }
    }
  }

  /** Whether agents synthesise at the end of {@code period}: every {@code synthesisInterval} periods. */
  boolean synthesisPeriod(long period) {
    return (period + 1) % parameters.synthesisInterval() == 0;
  }

  static void count(double[] outcome, Verdict verdict) {
    if (verdict == Verdict.ACTIVATED) {
      outcome[ADOPTED]++;
    } else if (verdict != Verdict.DUPLICATE) {
      outcome[REJECTED]++;
    }
  }

  /**
   * A conversation: the speaker tells the listener {@code said}; the listener identifies a candidate
   * from it (naming itself as the subject with probability {@code nameSlip}, taking it for its
   * opposite with probability {@code mishear}) and evaluates it.
   */
  Verdict converse(CrsecMind speaker, CrsecMind listener, int said) {
    boolean named = listener.nextDouble() < parameters.nameSlip();
    int heard = listener.nextDouble() < parameters.mishear() ? catalogue.opposite(said) : said;
    Candidate candidate = new Candidate(heard, named ? NormCatalogue.personalName(listener.id())
        : NormCatalogue.CUSTOMERS, said, Provenance.CONVERSATION, speaker.hops(said) + 1);
    return evaluate(listener, candidate);
  }

  /**
   * A descriptive norm identified from the room, {@code share} of the others acting by it. What an
   * agent sees now replaces an active description of the opposite it saw before.
   */
  Verdict observe(CrsecMind mind, int norm, double share) {
    forgetOpposite(mind, norm);
    return evaluate(mind, new Candidate(norm, NormCatalogue.CUSTOMERS, norm, Provenance.OBSERVATION, 0), share);
  }

  /** What an agent sees now ({@code norm}) replaces an active description of the opposite it saw before. */
  void forgetOpposite(CrsecMind mind, int norm) {
    if (mind.active(catalogue.opposite(norm))) {
      mind.drop(catalogue.opposite(norm));
    }
  }

  /**
   * A norm identified by an agent, before evaluation.
   *
   * @param norm    what it identified
   * @param subject the subject it identified (customers, or a personal name)
   * @param source  what its source said (a conversation's norm; the norm itself otherwise)
   */
  record Candidate(int norm, String subject, int source, Provenance provenance, int hops) {
  }

  /** What evaluation made of a candidate. */
  enum Verdict {
    ACTIVATED, KEPT_AS_CANDIDATE, NAMES_A_PERSON, INCONSISTENT, DUPLICATE, CONFLICTS
  }

  /** Evaluation of a candidate from a conversation: the checks, a utility by stance and hearings, activation. */
  Verdict evaluate(CrsecMind mind, Candidate candidate) {
    return evaluate(mind, candidate, Double.NaN);
  }

  private Verdict evaluate(CrsecMind mind, Candidate candidate, double observedShare) {
    Verdict check = check(mind, candidate);
    if (check != null) {
      return check;
    }
    int norm = candidate.norm();
    int hearings = mind.heard(norm);
    int score;
    Reason reason;
    if (!Double.isNaN(observedShare)) {
      score = (int) Math.round(100 * observedShare) - mind.nextInt(NOISE + 1);
      reason = Reason.OBSERVED;
    } else {
      int base = stanceScore(mind, norm);
      score = base + parameters.persuasion() * (hearings - 1) + mind.nextInt(2 * NOISE + 1) - NOISE;
      reason = base >= AGREEING ? Reason.AGREES : base > OPPOSED ? Reason.NEUTRAL
          : hearings > 1 ? Reason.PERSUADED : Reason.NEUTRAL;
    }
    return settle(mind, candidate, score, reason);
  }

  /**
   * The end of an evaluation that passed the checks: the candidate, scored {@code score} (kept
   * within 1–100) for {@code reason}, is active when the score reaches the threshold, else a
   * candidate still.
   */
  Verdict settle(CrsecMind mind, Candidate candidate, int score, Reason reason) {
    int utility = Math.max(1, Math.min(100, score));
    boolean activates = utility >= parameters.utilityThreshold();
    mind.hold(candidate.norm(), activates ? Status.ACTIVE : Status.CANDIDATE, utility, reason,
        candidate.provenance(), candidate.hops());
    return activates ? Verdict.ACTIVATED : Verdict.KEPT_AS_CANDIDATE;
  }

  /** The immediate checks, in order; null when the candidate passes them all. */
  Verdict check(CrsecMind mind, Candidate candidate) {
    int norm = candidate.norm();
    if (!NormCatalogue.CUSTOMERS.equals(candidate.subject())) {
      return Verdict.NAMES_A_PERSON;
    }
    if (norm != candidate.source()) {
      return Verdict.INCONSISTENT;
    }
    if (mind.active(norm) || subsumed(mind, norm)) {
      return Verdict.DUPLICATE;
    }
    for (int other = 0; other < catalogue.size(); other++) {
      if (mind.active(other) && contradicts(norm, other)) {
        return Verdict.CONFLICTS;
      }
    }
    return null;
  }

  /** Whether an active abstract norm of the agent already says what a specific injunctive norm says. */
  private boolean subsumed(CrsecMind mind, int norm) {
    if (catalogue.isAbstract(norm) || catalogue.type(norm) != Type.INJUNCTIVE || !catalogue.proper(norm)) {
      return false;
    }
    int general = catalogue.abstractOf(catalogue.theme(norm));
    return general >= 0 && mind.active(general);
  }

  /**
   * Whether candidate {@code norm} conflicts with active norm {@code held}: they speak of a common
   * theme for opposite actions, unless the candidate is injunctive and the held norm descriptive:
   * what should be done may differ from what is done, but not from what should be done, and a
   * description not from one held.
   */
  boolean contradicts(int norm, int held) {
    if (catalogue.proper(norm) == catalogue.proper(held)) {
      return false;
    }
    boolean common = false;
    for (int t : catalogue.themesOf(norm)) {
      common |= catalogue.covers(held, t);
    }
    return common && !(catalogue.type(norm) == Type.INJUNCTIVE && catalogue.type(held) == Type.DESCRIPTIVE);
  }

  /** The utility an agent's stances give a norm: the mean over the themes it covers. */
  int stanceScore(CrsecMind mind, int norm) {
    List<Integer> themes = catalogue.themesOf(norm);
    int sum = 0;
    for (int t : themes) {
      boolean agrees = (mind.stance(t) != CrsecMind.HABIT) == catalogue.proper(norm);
      sum += mind.stance(t) == CrsecMind.INDIFFERENT ? NEUTRAL : agrees ? AGREEING : OPPOSED;
    }
    return sum / themes.size();
  }

  /**
   * What an agent could merge into the abstract norm {@code general}: its active injunctive norms
   * of the group's themes (two or more), their mean utility, and whether they all ask for the
   * proper action (else the abstract norm is not consistent with them).
   *
   * @param norms the norms merged, in theme order
   */
  record Merge(int general, List<Integer> norms, int meanUtility, boolean consistent) {
    /** The candidate a synthesis of {@code written} (said of {@code subject}) from these norms is. */
    Candidate candidate(int written, String subject) {
      return new Candidate(written, subject, consistent ? general : -1, Provenance.SYNTHESIS, 0);
    }
  }

  /** The agent's merge into {@code general}; null when it holds it already or fewer than two norms to merge. */
  Merge mergeable(CrsecMind mind, int general) {
    if (mind.active(general)) {
      return null;
    }
    List<Integer> norms = new ArrayList<>();
    int utilities = 0;
    boolean consistent = true;
    for (int t : catalogue.themesOf(general)) {
      for (boolean proper : new boolean[] {true, false}) {
        int norm = catalogue.specific(t, Type.INJUNCTIVE, proper);
        if (mind.active(norm)) {
          norms.add(norm);
          utilities += mind.utility(norm);
          consistent &= proper;
        }
      }
    }
    return norms.size() < 2 ? null : new Merge(general, List.copyOf(norms), utilities / norms.size(), consistent);
  }

  /**
   * Synthesis of the abstract norm {@code general}: when the agent holds two or more active
   * injunctive norms of its group's themes, the candidate is the abstract norm, its utility their
   * mean; it must pass the same checks (its sources must all ask for the proper action), and then
   * replaces them. Null when there is nothing to merge.
   */
  Verdict synthesise(CrsecMind mind, int general) {
    Merge merge = mergeable(mind, general);
    if (merge == null) {
      return Verdict.DUPLICATE;
    }
    Candidate candidate = merge.candidate(general, NormCatalogue.CUSTOMERS);
    Verdict check = check(mind, candidate);
    if (check != null) {
      return check;
    }
    return merged(mind, candidate, merge.meanUtility(), Reason.MERGED);
  }

  /**
   * The end of a synthesis that passed the checks: scored {@code score}, the abstract norm is
   * active and replaces the specific norms it says, when the score reaches the threshold; else
   * nothing changes.
   */
  Verdict merged(CrsecMind mind, Candidate candidate, int score, Reason reason) {
    if (score < parameters.utilityThreshold()) {
      return Verdict.KEPT_AS_CANDIDATE;
    }
    int general = candidate.norm();
    mind.heard(general);
    for (int t : catalogue.themesOf(general)) {
      mind.drop(catalogue.specific(t, Type.INJUNCTIVE, true));
    }
    mind.hold(general, Status.ACTIVE, score, reason, Provenance.SYNTHESIS, 0);
    return Verdict.ACTIVATED;
  }
}
