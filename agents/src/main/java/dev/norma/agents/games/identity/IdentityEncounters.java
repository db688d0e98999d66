package dev.norma.agents.games.identity;

import dev.norma.agents.encounter.Conversations;
import dev.norma.agents.encounter.EncounterGame;
import dev.norma.agents.encounter.EncounterMeasures;
import dev.norma.agents.encounter.EncounterSchedule;
import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.encounter.Utterance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The in-group identity study as an encounter game: each encounter is one debate of a fixed pair
 * (or group, one agent a side; {@link IdentityPairs}), every pair debating once a population round.
 * A debate is {@code turns} messages, the seats taking turns from the first, then — with
 * {@code completions} — each seat in order completes "We are…" and then "They are…". Every one of
 * them is a free-text turn ({@link Turn#freeText}): through a language model (the game's
 * {@link Conversations}, prompts by {@link IdentityPrompt}) or by {@link IdentityRulePolicy}, the
 * same exchange either way, so a rule-based run and a model's write the same kind of transcript.
 * The outcome is the debate's {@link DebateTally}.
 *
 * <p>Journal identity of a turn: {@code debater:K}, {@code we-are:K}, {@code they-are:K}, K the
 * turn's number in the encounter (the debate's turns first, then the completions, two a seat).
 * A turn without a usable answer (empty after every re-ask) is recorded with an empty text: the
 * debate goes on, the others are shown "(no message)", and the tally counts it as invalid.
 *
 * <p>With {@code scoring: judge} the debate ends with the judge's turns ({@link Turn#judge}), one
 * for each line with a text, in order: {@code judge-stance:K} asks a debate message's stance
 * (cooperative, adversarial or neutral), {@code judge-sentiment:K} a completion's sentiment
 * (positive, neutral or negative), K being the conversation's length plus the judged line's turn,
 * keyed to the agent that said the line. The verdicts, not the word lists, then make the tally's
 * stance and sentiment ({@link JudgeVerdicts}); a verdict the judge never gave is invalid. With
 * {@code scoring: both} the judge is asked the same, and the word lists read the same lines beside
 * it ({@link DebateTally#compared}), for the measures to set the two readings side by side.
 */
final class IdentityEncounters implements EncounterGame<IdentityMind>, Conversations<IdentityMind> {
  private final IdentitySettings settings;
  private final IdentityPairs pairs;
  private final long seed;
  /** Each agent's model as the spec assigns it, for the transcripts. */
  private final String[] models;
  /** The prompts of a language-model study; null when the rule plays. */
  private final IdentityPrompt prompt;
  private final IdentityPromptTemplates templates;

  IdentityEncounters(IdentitySettings settings, IdentityPairs pairs, long seed, String[] models,
                     IdentityPromptTemplates templates, Integer contextTokens) {
    this.settings = settings;
    this.pairs = pairs;
    this.seed = seed;
    this.models = models.clone();
    this.templates = templates;
    this.prompt = templates == null ? null : new IdentityPrompt(templates, settings, contextTokens);
  }

  IdentitySettings settings() {
    return settings;
  }

  @Override
  public int participants() {
    return settings.seats();
  }

  @Override
  public IdentityMind newMind(int agentId) {
    return new IdentityMind(agentId, seed);
  }

  /** Encounter i is a debate of pair i mod P. */
  @Override
  public EncounterSchedule newSchedule() {
    return new EncounterSchedule() {
      private long next;

      @Override
      public void next(int[] members) {
        System.arraycopy(pairs.members((int) (next++ % pairs.pairs())), 0, members, 0, members.length);
      }
    };
  }

  @Override
  public long encountersPerRound() {
    return pairs.pairs();
  }

  @Override
  public double[] play(IdentityMind[] group, long index) {
    return playWithTranscript(group, index).outcome();
  }

  /** The debate by rule: each turn's text from {@link IdentityRulePolicy}, drawn from the speaker's stream. */
  @Override
  public Played playWithTranscript(IdentityMind[] group, long index) {
    Debate debate = new Debate(group, index);
    while (debate.hasTurn()) {
      debate.byRule();
    }
    return new Played(debate.outcome(), debate.transcript());
  }

  @Override
  public List<String> outcomeColumns() {
    return DebateTally.columns(prompt != null && settings.rulesBeside());
  }

  @Override
  public double[] observe(IdentityMind mind) {
    return new double[] {mind.debates()};
  }

  @Override
  public EncounterMeasures newMeasures() {
    return new IdentityMeasures(settings.conditions().stream().map(IdentitySettings.Condition::name).toList(), seed,
        prompt != null && settings.rulesBeside());
  }

  @Override
  public Conversations<IdentityMind> conversations() {
    return prompt == null ? null : this;
  }

  @Override
  public Exchange open(IdentityMind[] group, long index) {
    if (prompt == null) {
      throw new IllegalStateException("a study played by rule has no conversations");
    }
    return new Debate(group, index);
  }

  @Override
  public String templatesSha256() {
    return templates.sha256();
  }

  @Override
  public Map<String, String> templateHashes() {
    return templates.hashes();
  }

  /** One debate under way: its turns, by model (an {@link Exchange}) or by rule. */
  private final class Debate implements Exchange {
    private final IdentityMind[] group;
    private final int condition;
    private final List<IdentitySettings.Seat> seats;
    private final int total;
    private final List<Utterance> said = new ArrayList<>();
    /** Each seat's cooperative turns by rule, for its completions. */
    private final int[] cooperated;
    private String[] systems;
    private int turn;
    private boolean asked;
    /** The judge's verdicts, by the judged line's turn ({@code scoring: judge}). */
    private final Map<Integer, IdentityText.Stance> stances = new java.util.HashMap<>();
    private final Map<Integer, Double> sentiments = new java.util.HashMap<>();
    private int unanswered;
    /** The next line of {@link #said} the judge is to read, and whether its turn is out. */
    private int judging;
    private Utterance judged;

    Debate(IdentityMind[] group, long index) {
      this.group = group;
      this.condition = pairs.condition((int) (index % pairs.pairs()));
      this.seats = settings.conditions().get(condition).seats();
      this.total = settings.turns() + (settings.completions() ? 2 * group.length : 0);
      this.cooperated = new int[group.length];
    }

    boolean hasTurn() {
      return turn < total;
    }

    private int seat() {
      return turn < settings.turns() ? turn % group.length : (turn - settings.turns()) / 2;
    }

    private String role() {
      return turn < settings.turns() ? DebateTally.DEBATER
          : (turn - settings.turns()) % 2 == 0 ? DebateTally.WE_ARE : DebateTally.THEY_ARE;
    }

    @Override
    public Turn next() {
      if (asked) {
        throw new IllegalStateException("turn " + turn + " is not answered");
      }
      if (!hasTurn()) {
        return judgeNext();
      }
      if (systems == null) {
        systems = new String[group.length];
        for (int s = 0; s < group.length; s++) {
          systems[s] = prompt.system(s, seats.get(s).identity());
        }
      }
      int seat = seat();
      String role = role();
      asked = true;
      return Turn.freeText(turn, seat, role, DebateTally.DEBATER.equals(role)
          ? prompt.turn(systems[seat], seat, turn, said)
          : prompt.completion(systems[seat], seat, turn, DebateTally.WE_ARE.equals(role) ? "We are" : "They are",
              said));
    }

    @Override
    public void said(String text) {
      if (!asked || judged != null) {
        throw new IllegalStateException("no turn is waiting for a text");
      }
      asked = false;
      record(text.strip());
    }

    /** Whether the judge has lines left to read: only a judged study's conversations have. */
    private boolean judgeHasTurn() {
      if (prompt == null || !settings.judged()) {
        return false;
      }
      while (judging < said.size() && said.get(judging).text().isEmpty()) {
        judging++;
      }
      return judging < said.size();
    }

    /** The judge's turn on the next line with a text; null when none is left. */
    private Turn judgeNext() {
      if (!judgeHasTurn()) {
        return null;
      }
      judged = said.get(judging);
      int seat = seatOf(judged.agent());
      int number = total + judged.turn();
      asked = true;
      if (DebateTally.DEBATER.equals(judged.role())) {
        return Turn.judge(number, seat, "judge-stance", prompt.judgeStance(judged, seat, number),
            JudgeVerdicts.STANCES, settings.judge());
      }
      return Turn.judge(number, seat, "judge-sentiment", prompt.judgeSentiment(judged,
          DebateTally.WE_ARE.equals(judged.role()) ? "We are" : "They are", number), JudgeVerdicts.SENTIMENTS,
          settings.judge());
    }

    private int seatOf(int agent) {
      for (int seat = 0; seat < group.length; seat++) {
        if (group[seat].id() == agent) {
          return seat;
        }
      }
      throw new IllegalStateException("agent " + agent + " is not in this debate");
    }

    /** Takes the turn by rule. */
    void byRule() {
      int seat = seat();
      IdentityMind speaker = group[seat];
      String role = role();
      if (DebateTally.DEBATER.equals(role)) {
        boolean cooperative = speaker.nextDouble() < IdentityRulePolicy.cooperation(seats.get(seat).drift(), turn,
            settings.turns());
        int variant = speaker.nextInt(IdentityRulePolicy.variants());
        cooperated[seat] += cooperative ? 1 : 0;
        record(IdentityRulePolicy.turn(cooperative, variant, settings.sides().get(seat)));
      } else {
        int own = (settings.turns() - seat + group.length - 1) / group.length;
        record(IdentityRulePolicy.completion(DebateTally.WE_ARE.equals(role), 2 * cooperated[seat] > own));
      }
    }

    private void record(String text) {
      IdentityMind speaker = group[seat()];
      said.add(new Utterance(turn, speaker.id(), role(), models[speaker.id()], text,
          IdentityText.tokens(text).size()));
      turn++;
      if (!hasTurn()) {
        for (IdentityMind mind : group) {
          mind.debated();
        }
      }
    }

    /** The judge's verdict on the line its turn showed: an option, or {@link Turn#NO_CHOICE}. */
    @Override
    public void choose(int option) {
      if (!asked || judged == null) {
        throw new IllegalStateException("no judge's turn is waiting for a verdict");
      }
      asked = false;
      if (option < 0) {
        unanswered++;
      } else if (DebateTally.DEBATER.equals(judged.role())) {
        stances.put(judged.turn(), JudgeVerdicts.stance(option));
      } else {
        sentiments.put(judged.turn(), JudgeVerdicts.sentiment(option));
      }
      judged = null;
      judging++;
    }

    @Override
    public List<Utterance> transcript() {
      return List.copyOf(said);
    }

    @Override
    public double[] outcome() {
      if (hasTurn() || asked || judgeHasTurn()) {
        throw new IllegalStateException("the debate is not over");
      }
      if (prompt == null || !settings.judged()) {
        return DebateTally.of(condition, settings.turns(), said, settings.text()).outcome();
      }
      JudgeVerdicts verdicts = new JudgeVerdicts(stances, sentiments, unanswered);
      return (settings.rulesBeside() ? DebateTally.compared(condition, settings.turns(), said, settings.text(),
          verdicts) : DebateTally.of(condition, settings.turns(), said, settings.text(), verdicts)).outcome();
    }
  }
}
