package dev.norma.agents.games.crsec;

import dev.norma.agents.encounter.Conversations;
import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.encounter.Utterance;
import dev.norma.agents.games.crsec.CrsecRules.Candidate;
import dev.norma.agents.games.crsec.CrsecRules.Noticed;
import dev.norma.agents.games.crsec.CrsecRules.Verdict;
import dev.norma.agents.games.crsec.NormRecord.Provenance;
import dev.norma.agents.games.crsec.NormRecord.Reason;
import dev.norma.agents.games.crsec.NormRecord.Status;
import dev.norma.agents.llm.PromptTemplateSet;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.agents.schedule.Rooms;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The CRSEC study played through a language model: one room's period is a conversation of turns
 * that follow Ren et al.'s four modules, each a request of its own ({@link CrsecPrompt}); what the
 * paper leaves to immediate checks stays in code ({@link CrsecRules}), and so does what an agent
 * notices (the conflicts it sees, the themes most others acted alike on). In order:
 *
 * <ol>
 *   <li><b>Creation</b> ({@code create}, free text): each advocate that has not yet written its
 *       personal norms does so, once, as {@code Norm: …} lines ({@link CrsecAnswers#created}); each
 *       that passes the checks (no personal name, not a duplicate, no conflict with one written
 *       before) is active, utility {@link #CREATED_UTILITY}, its own.
 *   <li><b>Compliance</b> ({@code comply}, a choice of {@code do} or {@code avoid}): an agent whose
 *       active injunctive norm on a theme asks for what its habit is not chooses what it does; on
 *       every other theme it acts by habit (which its norm, if any, agrees with), and no one is asked.
 *   <li>Observation, in code: the conflicts, as the rules count them.
 *   <li><b>Spreading</b>: an agent with a norm conflict picks one of those who broke its norm (from
 *       its own stream, as the rules do) and chooses whether to speak up ({@code speak-up}, yes or
 *       no); if yes it says something to that agent ({@code speak}, free text), and the listener
 *       identifies the norm it heard ({@code identify}: {@code Norm: …} or {@code none}). A norm
 *       identified goes through the rules' immediate checks (the subject must be customers in
 *       general, the norm must be the one the speaker holds, not a duplicate, no conflict with an
 *       active norm); a candidate that passes is scored.
 *   <li><b>Evaluation</b> ({@code evaluate}, free text): the listener gives a utility (1–100) and a
 *       reason ({@link CrsecAnswers#utility}), told how many times it heard the norm before; the
 *       candidate is active at {@code utilityThreshold} or more, else a candidate still.
 *   <li><b>Descriptive norms</b> ({@code describe}, free text): an agent that saw at least
 *       {@code descriptiveShare} of the others act alike on a theme whose description it does not
 *       hold ({@link CrsecRules#noticed}) is shown what they did and names the descriptive norms it
 *       sees, {@code Norm: …} lines or {@code none} ({@link CrsecAnswers#described}); each goes
 *       through the checks (consistent with its source: the description of what the room did on its
 *       theme) and, if it passes, an {@code evaluate} turn as above.
 *   <li><b>Synthesis</b> ({@code synthesise}, free text), every {@code synthesisInterval} periods: an
 *       agent holding two or more active injunctive norms of one group of themes
 *       ({@link CrsecRules#mergeable}) is shown them and the study's abstract norms, and names the one
 *       that sums them up or {@code none}; it goes through the checks (consistent with its sources:
 *       the group's abstract norm, every source asking for the proper action) and an
 *       {@code evaluate} turn, and at the threshold replaces the norms it sums up
 *       ({@link CrsecRules#merged}, provenance synthesis).
 * </ol>
 *
 * <p>Calls: per room and period at most A + 2n·T + 5n, for n seats, T themes and A advocates still
 * to create, and at a synthesis period 2n·G more for G abstract norms (each call times 1 +
 * {@code parseRetries} at most). In practice far fewer: compliance is asked only where a norm and a
 * habit disagree, spreading only of agents who saw their norm broken, observation only of agents
 * who saw a description they do not hold, synthesis only of agents with norms to merge.
 *
 * <p>An answer that cannot be used after every re-ask ({@link Turn#NO_CHOICE}, an empty text) is an
 * invalid turn, counted in the outcome's {@code invalidTurns}, and the rule's safe default stands in:
 * no norm written, identified, described, synthesised or activated; the habitual action; no speaking
 * up. Every free text is
 * a line of the encounter's transcript (its role as above, the agent's model).
 */
final class CrsecConversations implements Conversations<CrsecMind> {
  /** The utility of an advocate's own norm, written from its stances. */
  static final int CREATED_UTILITY = 90;

  private final CrsecRules rules;
  private final PromptTemplateSet<CrsecTemplate> templates;
  private final CrsecPrompt prompt;
  private final CrsecAnswers answers;
  /** Each agent's model as the spec assigns it, for the transcripts. */
  private final String[] models;

  CrsecConversations(CrsecRules rules, PromptTemplateSet<CrsecTemplate> templates, Integer contextTokens,
                     String[] models) {
    this.rules = rules;
    this.templates = templates;
    this.prompt = new CrsecPrompt(templates, rules.parameters(), rules.catalogue(), contextTokens);
    this.answers = new CrsecAnswers(rules.catalogue());
    this.models = models.clone();
  }

  CrsecPrompt prompt() {
    return prompt;
  }

  CrsecAnswers answers() {
    return answers;
  }

  @Override
  public Exchange open(CrsecMind[] room, long index) {
    int rooms = rules.parameters().rooms();
    return new Period(room, Rooms.roomOf(index, rooms), index / rooms);
  }

  @Override
  public String templatesSha256() {
    return templates.sha256();
  }

  @Override
  public Map<String, String> templateHashes() {
    return templates.hashes();
  }

  /** One room's period under way: steps in order, some of which ask a turn. Not thread-safe. */
  private final class Period implements Exchange {
    private final CrsecMind[] room;
    private final long period;
    private final int themes;
    private final double[] outcome;
    private final boolean[][] proper;
    /** What is left to do; a step returns the turn it asks, or null when it asked none. */
    private final Deque<Supplier<Turn>> steps = new ArrayDeque<>();
    private final List<Utterance> said = new ArrayList<>();
    private int turns;
    private Turn asked;
    private IntConsumer onChoice;
    private Consumer<String> onText;
    private boolean over;

    Period(CrsecMind[] room, int roomNumber, long period) {
      this.room = room;
      this.period = period;
      this.themes = rules.parameters().themes().size();
      this.outcome = CrsecRules.newOutcome(roomNumber);
      this.proper = new boolean[room.length][themes];
      steps.add(() -> {
        rules.uncommitAdvocates(room, period);
        List<Supplier<Turn>> creations = new ArrayList<>();
        for (int seat = 0; seat < room.length; seat++) {
          if (room[seat].advocate() && !room[seat].created()) {
            int writer = seat;
            creations.add(() -> create(writer));
          }
        }
        first(creations);
        return null;
      });
      steps.add(this::act);
      steps.add(this::observe);
      steps.add(this::describe);
      steps.add(this::synthesise);
    }

    @Override
    public Turn next() {
      if (asked != null) {
        throw new IllegalStateException("turn " + asked.number() + " (" + asked.role() + ") is not answered");
      }
      while (!steps.isEmpty()) {
        Turn turn = steps.pollFirst().get();
        if (turn != null) {
          asked = turn;
          turns++;
          return turn;
        }
      }
      over = true;
      return null;
    }

    /** Runs {@code later} next, before every step already waiting, in their order. */
    private void first(List<Supplier<Turn>> later) {
      for (int i = later.size() - 1; i >= 0; i--) {
        steps.addFirst(later.get(i));
      }
    }

    private Turn choice(int seat, String role, RenderedPrompt rendered, List<String> options,
                        IntConsumer then) {
      onChoice = then;
      return new Turn(turns, seat, role, rendered, options);
    }

    private Turn text(int seat, String role, RenderedPrompt rendered,
                      Predicate<String> accepts, Consumer<String> then) {
      int number = turns;
      onText = text -> {
        if (text.isEmpty()) {
          outcome[CrsecRules.INVALID]++;
        }
        said.add(new Utterance(number, room[seat].id(), role, models[room[seat].id()], text,
            Utterance.words(text).size()));
        if (!text.isEmpty()) {
          then.accept(text);
        }
      };
      return Turn.parsedText(turns, seat, role, rendered, accepts);
    }

    /** Creation: the advocate writes its personal norms, once. */
    private Turn create(int seat) {
      CrsecMind mind = room[seat];
      // Asked once: an advocate without a usable answer writes no norms, and is not asked again.
      mind.created(true);
      return text(seat, "create", prompt.create(mind, period), text -> !answers.created(text).isEmpty(), text -> {
        for (CrsecAnswers.Norm norm : answers.created(text)) {
          Candidate candidate = new Candidate(norm.norm(), norm.subject(), norm.norm(), Provenance.OWN, 0);
          if (rules.check(mind, candidate) == null) {
            mind.heard(norm.norm());
            mind.hold(norm.norm(), Status.ACTIVE, CREATED_UTILITY, Reason.OWN_STANCE, Provenance.OWN, 0);
          }
        }
      });
    }

    /** Compliance: by habit where nothing is in question, else a choice per torn theme. */
    private Turn act() {
      List<Supplier<Turn>> choices = new ArrayList<>();
      for (int seat = 0; seat < room.length; seat++) {
        CrsecMind mind = room[seat];
        for (int t = 0; t < themes; t++) {
          boolean habit = mind.stance(t) != CrsecMind.HABIT;
          if (!rules.torn(mind, t)) {
            proper[seat][t] = habit;
            rules.tally(mind, t, habit, outcome);
            continue;
          }
          int actor = seat;
          int theme = t;
          choices.add(() -> choice(actor, "comply", prompt.comply(mind, period, theme, rules.guide(mind, theme)),
              CrsecPrompt.ACTIONS, option -> {
                boolean acted = habit;
                if (option == Turn.NO_CHOICE) {
                  outcome[CrsecRules.INVALID]++;
                } else {
                  boolean doing = option == CrsecPrompt.DO;
                  acted = doing == rules.catalogue().themes().get(theme).properIsDoing();
                }
                proper[actor][theme] = acted;
                rules.tally(mind, theme, acted, outcome);
              }));
        }
      }
      first(choices);
      return null;
    }

    /** Observation, then spreading: who saw its norm broken may speak up. */
    private Turn observe() {
      CrsecRules.Conflicts conflicts = rules.observeRoom(room, proper, outcome);
      List<Supplier<Turn>> speakers = new ArrayList<>();
      for (int seat = 0; seat < room.length; seat++) {
        if (conflicts.counts()[seat] > 0) {
          int speaker = seat;
          speakers.add(() -> speakUp(speaker, conflicts.pick(speaker, room[speaker])));
        }
      }
      first(speakers);
      return null;
    }

    private Turn speakUp(int seat, int chosen) {
      CrsecMind speaker = room[seat];
      int listener = chosen / themes;
      int theme = chosen % themes;
      int norm = rules.guide(speaker, theme);
      boolean doing = proper[listener][theme] == rules.catalogue().themes().get(theme).properIsDoing();
      int other = room[listener].id();
      return choice(seat, "speak-up", prompt.speakUp(speaker, period, other, theme, doing, norm), CrsecPrompt.SPEAK_UP,
          option -> {
            if (option == Turn.NO_CHOICE) {
              outcome[CrsecRules.INVALID]++;
            } else if (option == CrsecPrompt.YES) {
              outcome[CrsecRules.CONVERSATIONS]++;
              int hops = speaker.hops(norm) + 1;
              first(List.of(() -> text(seat, "speak", prompt.speak(speaker, period, other, theme, doing, norm),
                  Turn.ANY_TEXT, text -> first(List.of(() -> identify(seat, listener, norm, hops, text))))));
            }
          });
    }

    private Turn identify(int speakerSeat, int seat, int said, int hops, String words) {
      CrsecMind listener = room[seat];
      int speaker = room[speakerSeat].id();
      return text(seat, "identify", prompt.identify(listener, period, speaker, words),
          text -> answers.identified(text) != null, text -> {
            CrsecAnswers.Identified identified = answers.identified(text);
            if (identified.none()) {
              return;
            }
            Candidate candidate = new Candidate(identified.norm().norm(), identified.norm().subject(), said,
                Provenance.CONVERSATION, hops);
            Verdict check = rules.check(listener, candidate);
            if (check != null) {
              CrsecRules.count(outcome, check);
            } else {
              first(List.of(() -> evaluate(seat, CrsecPrompt.toldBy(speaker), candidate)));
            }
          });
    }

    /** Evaluation of a candidate that passed the checks, which came to the agent {@code source}. */
    private Turn evaluate(int seat, String source, Candidate candidate) {
      CrsecMind listener = room[seat];
      int before = listener.heard(candidate.norm()) - 1;
      return text(seat, "evaluate", prompt.evaluate(listener, period, candidate.norm(), candidate.subject(), source,
          before), text -> CrsecAnswers.utility(text) != null, text -> CrsecRules.count(outcome,
          rules.settle(listener, candidate, CrsecAnswers.utility(text).score(), Reason.STATED)));
    }

    /** Observation: each agent that sees its room act alike on a theme names the descriptive norms it sees. */
    private Turn describe() {
      List<Supplier<Turn>> observers = new ArrayList<>();
      for (int seat = 0; seat < room.length; seat++) {
        int observer = seat;
        observers.add(() -> describe(observer));
      }
      first(observers);
      return null;
    }

    private Turn describe(int seat) {
      CrsecMind mind = room[seat];
      List<Noticed> noticed = rules.noticed(room, proper, seat);
      if (noticed.isEmpty()) {
        return null;
      }
      for (Noticed one : noticed) {
        rules.forgetOpposite(mind, one.norm());
      }
      NormCatalogue catalogue = rules.catalogue();
      return text(seat, "describe", prompt.describe(mind, period, noticed), text -> answers.described(text) != null,
          text -> {
            List<Supplier<Turn>> evaluations = new ArrayList<>();
            for (CrsecAnswers.Norm norm : answers.described(text)) {
              // Consistent with its source: the description of what the room did on the norm's theme.
              int source = -1;
              for (Noticed one : noticed) {
                source = catalogue.theme(one.norm()) == catalogue.theme(norm.norm()) ? one.norm() : source;
              }
              Candidate candidate = new Candidate(norm.norm(), norm.subject(), source, Provenance.OBSERVATION, 0);
              evaluations.add(() -> {
                // Checked when its turn comes: an evaluation before it may have activated a conflicting norm.
                Verdict check = rules.check(mind, candidate);
                if (check != null) {
                  CrsecRules.count(outcome, check);
                  return null;
                }
                return evaluate(seat, CrsecPrompt.SEEN, candidate);
              });
            }
            first(evaluations);
          });
    }

    /** Synthesis, at a synthesis period: each agent, for each abstract norm it could merge related norms into. */
    private Turn synthesise() {
      if (!rules.synthesisPeriod(period)) {
        return null;
      }
      List<Supplier<Turn>> merges = new ArrayList<>();
      NormCatalogue catalogue = rules.catalogue();
      for (int seat = 0; seat < room.length; seat++) {
        for (int group = catalogue.size() - 1; group >= 4 * themes; group--) {
          int writer = seat;
          int general = group;
          merges.add(() -> synthesise(writer, general));
        }
      }
      first(merges);
      return null;
    }

    private Turn synthesise(int seat, int general) {
      CrsecMind mind = room[seat];
      CrsecRules.Merge merge = rules.mergeable(mind, general);
      if (merge == null) {
        return null;
      }
      return text(seat, "synthesise", prompt.synthesise(mind, period, merge), text -> answers.identified(text) != null,
          text -> {
            CrsecAnswers.Identified written = answers.identified(text);
            if (written.none()) {
              return;
            }
            Candidate candidate = merge.candidate(written.norm().norm(), written.norm().subject());
            Verdict check = rules.check(mind, candidate);
            if (check != null) {
              CrsecRules.count(outcome, check);
            } else {
              first(List.of(() -> merged(seat, candidate)));
            }
          });
    }

    /** The utility of an abstract norm that passed the checks; at the threshold it replaces the norms it sums up. */
    private Turn merged(int seat, Candidate candidate) {
      CrsecMind mind = room[seat];
      return text(seat, "evaluate", prompt.evaluate(mind, period, candidate.norm(), candidate.subject(),
          CrsecPrompt.MERGED, mind.hearings(candidate.norm())), text -> CrsecAnswers.utility(text) != null,
          text -> CrsecRules.count(outcome, rules.merged(mind, candidate, CrsecAnswers.utility(text).score(),
              Reason.STATED)));
    }

    @Override
    public void choose(int option) {
      if (asked == null || asked.kind() != Turn.Kind.CHOICE) {
        throw new IllegalStateException("no turn is waiting for a choice");
      }
      if (option != Turn.NO_CHOICE && (option < 0 || option >= asked.options().size())) {
        throw new IllegalArgumentException("expected an option in [0, " + asked.options().size()
            + ") or Turn.NO_CHOICE, got " + option);
      }
      asked = null;
      onChoice.accept(option);
    }

    @Override
    public void said(String text) {
      if (asked == null || !asked.freeText()) {
        throw new IllegalStateException("no turn is waiting for a text");
      }
      String stripped = text.strip();
      boolean usable = asked.usable(stripped);
      asked = null;
      onText.accept(usable ? stripped : "");
    }

    @Override
    public List<Utterance> transcript() {
      return List.copyOf(said);
    }

    @Override
    public double[] outcome() {
      if (!over) {
        throw new IllegalStateException("the period is not over");
      }
      return outcome.clone();
    }
  }
}
