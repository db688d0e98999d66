package dev.norma.agents.games.crsec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.encounter.EncounterLoop;
import dev.norma.agents.encounter.Exchange;
import dev.norma.agents.encounter.Turn;
import dev.norma.agents.encounter.Utterance;
import dev.norma.agents.game.Games;
import dev.norma.agents.games.crsec.NormRecord.Provenance;
import dev.norma.agents.games.crsec.NormRecord.Reason;
import dev.norma.agents.games.crsec.NormRecord.Status;
import dev.norma.agents.llm.ContextWindow;
import dev.norma.agents.llm.ParsedChoice;
import dev.norma.agents.llm.RenderedPrompt;
import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRSEC study's language-model policy without a network: its prompts as rendered for a fixed
 * mind, each answer reader on good and bad answers, and the fake server's stand-in customer, in a
 * plain loop, spreading the advocates' norms until conflicts fall (and not without advocates).
 */
class CrsecLanguageModelTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "crsec-llm.yaml");
  private static final CrsecRules RULES = new CrsecRules(CrsecParameters.standard(100));
  private static final NormCatalogue CATALOGUE = RULES.catalogue();
  private static final CrsecAnswers ANSWERS = new CrsecAnswers(CATALOGUE);

  private static CrsecPrompt prompt(Integer contextTokens) {
    return new CrsecPrompt(CrsecTemplate.defaults(), RULES.parameters(), CATALOGUE, contextTokens);
  }

  /** An ordinary customer whose habit is to smoke indoors and who minds loud talk; it holds one norm. */
  private static CrsecMind ordinary() {
    CrsecMind mind = RULES.newMind(7, 1, false);
    mind.persona(false, 350, new int[] {CrsecMind.HABIT, CrsecMind.MINDS, CrsecMind.INDIFFERENT});
    mind.hold(CATALOGUE.specific(0, NormRecord.Type.INJUNCTIVE, true), Status.ACTIVE, 64, Reason.STATED,
        Provenance.CONVERSATION, 1);
    return mind;
  }

  @Test
  void thePromptsShowTheRulesThePersonaItsNormsAndTheRequest() {
    CrsecPrompt prompt = prompt(null);
    CrsecMind advocate = RULES.newMind(0, 1, false);
    assertThat(advocate.advocate()).isTrue();
    assertThat(advocate.norms(CATALOGUE)).isEmpty();

    RenderedPrompt create = prompt.create(advocate, 0);
    assertThat(create.system()).startsWith("You are a customer in a café, one of 10 customers at a time;")
        .contains("The behaviours that matter here:\n- smoke indoors\n- talk loudly\n- tip the staff\n");
    assertThat(create.user()).startsWith("You are Agent-0, a norm advocate: you care that this café has good"
        + " manners, and you say so.\nHow you feel about the behaviours here:\n"
        + "- smoke indoors: you never do, and it bothers you when others do\n"
        + "- talk loudly: you never do, and it bothers you when others do\n"
        + "- tip the staff: you always do, and it bothers you when others do not\n"
        + "You always speak up when someone breaks a norm you hold.\nNorms you hold: none yet.\n\n"
        + "Before the first period, write your personal norms");
    assertThat(create.optionOrder()).isEmpty();
    assertThat(create.currentRound()).isEqualTo(1);

    CrsecMind mind = ordinary();
    int shouldNotSmoke = CATALOGUE.specific(0, NormRecord.Type.INJUNCTIVE, true);
    RenderedPrompt comply = prompt.comply(mind, 3, 0, shouldNotSmoke);
    assertThat(comply.user()).contains("You are Agent-7, an ordinary customer.")
        .contains("- smoke indoors: you usually do\n- talk loudly: you never do, and it bothers you when others do\n"
            + "- tip the staff: you always do, and you do not mind when others do not\n"
            + "You sometimes speak up when someone breaks a norm you hold.\n"
            + "Norms you hold: \n- Customers should not smoke indoors. (utility 64)\n\n")
        .endsWith("A new period begins. You usually smoke indoors, but your norm says: Customers should not smoke"
            + " indoors.\nDo you smoke indoors this period? Answer do or avoid, ending with the line {'value': 'X'}.");
    assertThat(comply.optionOrder()).containsExactly(0, 1);
    assertThat(comply.currentRound()).isEqualTo(4);
    // A habit of not tipping is stated as such.
    mind.persona(false, 350, new int[] {CrsecMind.MINDS, CrsecMind.MINDS, CrsecMind.HABIT});
    assertThat(prompt.comply(mind, 0, 2, CATALOGUE.specific(2, NormRecord.Type.INJUNCTIVE, true)).user())
        .contains("You usually do not tip the staff, but your norm says: Customers should tip the staff.");

    assertThat(prompt.speakUp(mind, 0, 12, 0, true, shouldNotSmoke).user()).endsWith("You saw Agent-12 smoke"
        + " indoors, which breaks your norm: Customers should not smoke indoors.\nDo you speak up to Agent-12 about"
        + " it? Answer yes or no, ending with the line {'value': 'X'}.");
    assertThat(prompt.speak(mind, 0, 12, 2, false, CATALOGUE.specific(2, NormRecord.Type.INJUNCTIVE, true)).user())
        .endsWith("You saw Agent-12 not tip the staff, which breaks your norm: Customers should tip the staff.\n"
            + "You speak up. Say to Agent-12, in one or two sentences, what you want them to know.");
    assertThat(prompt.identify(mind, 0, 3, "Please,\n  customers should not smoke indoors.").user())
        .endsWith("Agent-3 said to you: \"Please, customers should not smoke indoors.\"\nWhich norm, if any, does"
            + " Agent-3 ask customers to follow? Answer with one line\nNorm: <subject> <predicate> <object>\n"
            + "or, if there is none, with the word none.");
    assertThat(prompt.evaluate(mind, 0, CATALOGUE.specific(1, NormRecord.Type.INJUNCTIVE, true), "customers", 3, 2)
        .user()).contains("You are weighing a new norm: Customers should not talk loudly.\nYou came to it from"
            + " what Agent-3 told you; you have heard it twice before.\n")
        .endsWith("Utility: <1-100>\nReason: <one sentence>");
  }

  @Test
  void theNormsShownAreTheMostUsefulThatFitTheContextBudget() {
    CrsecMind mind = ordinary();
    mind.hold(CATALOGUE.specific(1, NormRecord.Type.INJUNCTIVE, true), Status.ACTIVE, 90, Reason.STATED,
        Provenance.CONVERSATION, 1);
    mind.hold(CATALOGUE.specific(2, NormRecord.Type.DESCRIPTIVE, true), Status.ACTIVE, 70, Reason.OBSERVED,
        Provenance.OBSERVATION, 0);
    String all = prompt(null).persona(mind);
    assertThat(all).contains("smoke indoors. (utility 64)", "tip the staff. (utility 70)",
        "talk loudly. (utility 90)");
    // Room for two lines of about 11 tokens: the lowest utility leaves.
    String cut = prompt(24).persona(mind);
    assertThat(cut).doesNotContain("(utility 64)").contains("(utility 70)", "(utility 90)");
    int normTokens = ContextWindow.estimateTokens(cut.substring(cut.indexOf("Norms you hold:")
        + "Norms you hold: \n".length()) + "\n");
    assertThat(normTokens).isLessThanOrEqualTo(24);
  }

  @Test
  void normsAreReadAgainstTheCatalogue() {
    int shouldNotSmoke = CATALOGUE.specific(0, NormRecord.Type.INJUNCTIVE, true);
    assertThat(ANSWERS.norm("Customers should not smoke indoors.")).isEqualTo(new CrsecAnswers.Norm(shouldNotSmoke,
        "customers"));
    assertThat(ANSWERS.norm("**Everyone** should NOT smoke indoors!")).isEqualTo(new CrsecAnswers.Norm(
        shouldNotSmoke, "customers"));
    // The longest predicate that fits: injunctive, not descriptive; the subject kept when it names someone.
    assertThat(ANSWERS.norm("Customers should tip the staff")).isEqualTo(new CrsecAnswers.Norm(
        CATALOGUE.specific(2, NormRecord.Type.INJUNCTIVE, true), "customers"));
    assertThat(ANSWERS.norm("Customers tip the staff.")).isEqualTo(new CrsecAnswers.Norm(
        CATALOGUE.specific(2, NormRecord.Type.DESCRIPTIVE, true), "customers"));
    assertThat(ANSWERS.norm("Agent-12 should not smoke indoors.")).isEqualTo(new CrsecAnswers.Norm(shouldNotSmoke,
        "agent-12"));
    assertThat(ANSWERS.norm("Customers should show consideration for others.").norm()).isEqualTo(
        CATALOGUE.abstractOf(0));
    assertThat(ANSWERS.norm("Customers should not smoke outdoors.")).isNull();
    assertThat(ANSWERS.norm("should not smoke indoors")).isNull();
    assertThat(ANSWERS.norm("Customers should not smoke")).isNull();

    assertThat(ANSWERS.created("I care about manners.\nNorm: Customers should not smoke indoors.\n"
        + "- Norm: customers should tip the staff\nNorm: Customers should not smoke indoors.\nNorm: be nice"))
        .extracting(CrsecAnswers.Norm::norm).containsExactly(shouldNotSmoke,
            CATALOGUE.specific(2, NormRecord.Type.INJUNCTIVE, true));
    assertThat(ANSWERS.created("Customers should not smoke indoors.")).isEmpty();

    assertThat(ANSWERS.identified("They want quiet.\nNorm: Customers should not talk loudly.").norm().norm())
        .isEqualTo(CATALOGUE.specific(1, NormRecord.Type.INJUNCTIVE, true));
    assertThat(ANSWERS.identified("I heard no rule.\nnone").none()).isTrue();
    assertThat(ANSWERS.identified("Norm: None.").none()).isTrue();
    assertThat(ANSWERS.identified("Norm: customers should dance")).isNull();
    assertThat(ANSWERS.identified("It was about smoking, I think.")).isNull();

    assertThat(CrsecAnswers.utility("Thinking...\nUtility: 72\nReason: It keeps the air clean."))
        .isEqualTo(new CrsecAnswers.Utility(72, "It keeps the air clean."));
    assertThat(CrsecAnswers.utility("**Utility**: 100\n**Reason**: essential")).isEqualTo(
        new CrsecAnswers.Utility(100, "essential"));
    assertThat(CrsecAnswers.utility("Utility: 0\nReason: useless")).isNull();
    assertThat(CrsecAnswers.utility("Utility: 140\nReason: very")).isNull();
    assertThat(CrsecAnswers.utility("Utility: 60")).isNull();
    assertThat(CrsecAnswers.utility("I would say sixty.\nReason: fine")).isNull();
  }

  /** The fake server's stand-in as the loop's model: the same answers the server gives over HTTP. */
  static EncounterLoop.Model fakeModel() {
    CrsecFakeAnswers fake = new CrsecFakeAnswers();
    return new EncounterLoop.Model() {
      @Override
      public int choose(int agent, long index, Turn turn) {
        assertThat(fake.reads(turn.prompt().text())).isTrue();
        ParsedChoice parsed = turn.parser().parse(fake.answer(turn.prompt().text(), bound -> 0));
        return parsed instanceof ParsedChoice.Accepted accepted ? accepted.option() : Turn.NO_CHOICE;
      }

      @Override
      public String say(int agent, long index, Turn turn) {
        return fake.answer(turn.prompt().text(), bound -> 0);
      }
    };
  }

  private record Played(List<double[]> rows, List<String> columns, List<Utterance> lines, List<CrsecMind> minds) {
    double at(int round, String column) {
      return rows.get(round)[columns.indexOf(column)];
    }
  }

  private static Played play(EncounterLoop.Model model, String... overrides) throws Exception {
    ExperimentSpec spec = SpecLoader.load(EXAMPLE, List.of(overrides)).resolved();
    CrsecEncounters game = new CrsecModule().encounters(spec, spec.seed());
    EncounterLoop<CrsecMind> loop = new EncounterLoop<>(game, spec.population().size());
    List<double[]> rows = new ArrayList<>();
    List<Utterance> lines = new ArrayList<>();
    loop.run(spec.stop().maxRounds(), new EncounterLoop.Listener() {
      @Override
      public void encounter(long index, int[] members, double[] outcome) {
      }

      @Override
      public void round(long round, double[] row) {
        rows.add(row);
      }

      @Override
      public void transcript(long index, int[] members, List<Utterance> said) {
        lines.addAll(said);
      }
    }, model);
    List<CrsecMind> minds = new ArrayList<>();
    for (int id = 0; id < spec.population().size(); id++) {
      minds.add(loop.mind(id));
    }
    return new Played(rows, loop.measures().columns(), lines, minds);
  }

  @Test
  void theStandInIsTheFakeServersAndItsNormsSpreadUntilConflictsFall() throws Exception {
    assertThat(Games.fakeAnswers()).anyMatch(answers -> answers instanceof CrsecFakeAnswers);
    java.util.Map<String, Integer> asked = new java.util.TreeMap<>();
    EncounterLoop.Model fake = fakeModel();
    Played played = play(new EncounterLoop.Model() {
      @Override
      public int choose(int agent, long index, Turn turn) {
        asked.merge(turn.role(), 1, Integer::sum);
        return fake.choose(agent, index, turn);
      }

      @Override
      public String say(int agent, long index, Turn turn) {
        asked.merge(turn.role(), 1, Integer::sum);
        return fake.say(agent, index, turn);
      }
    }, "stop.maxRounds=8");
    assertThat(asked).containsOnlyKeys("create", "comply", "speak-up", "speak", "identify", "evaluate", "describe",
        "synthesise");
    // At most 2T + 5 calls an agent and period (T = 3 themes), one for each advocate, and at the
    // synthesis period (the fifth) two an agent for the one abstract norm.
    assertThat(asked.values().stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(
        30 + 100 * 8 * 11 + 100 * 2);
    // At the fifth period agents holding both norms of consideration sum them up, as the model wrote;
    // then they speak of it, and others learn it in conversation.
    int consideration = CATALOGUE.abstractOf(0);
    List<NormRecord> abstracts = played.minds().stream().flatMap(mind -> mind.norms(CATALOGUE).stream())
        .filter(record -> record.norm() == consideration).toList();
    assertThat(abstracts).extracting(NormRecord::provenance).contains(Provenance.SYNTHESIS, Provenance.CONVERSATION)
        .containsOnly(Provenance.SYNTHESIS, Provenance.CONVERSATION);
    assertThat(abstracts).allSatisfy(record -> assertThat(record.reason()).isEqualTo(Reason.STATED));
    assertThat(played.lines()).filteredOn(line -> line.role().equals("synthesise")).first()
        .satisfies(line -> assertThat(line.text()).endsWith("Norm: Customers should show consideration for others."));
    // Descriptive norms from what most did, as the model named them.
    assertThat(played.minds()).flatExtracting(mind -> mind.norms(CATALOGUE))
        .filteredOn(record -> record.provenance() == Provenance.OBSERVATION && record.status() == Status.ACTIVE)
        .isNotEmpty().allSatisfy(record -> assertThat(record.type()).isEqualTo(NormRecord.Type.DESCRIPTIVE));
    double first = played.at(0, "conflicts");
    double last = played.at(7, "conflicts");
    assertThat(first).isGreaterThan(100);
    assertThat(last).isLessThan(first / 2);
    assertThat(played.at(7, "active.smoking")).isGreaterThan(0.5);
    assertThat(played.rows()).allSatisfy(row -> assertThat(row[played.columns().indexOf("invalidTurns")]).isZero());
    assertThat(played.at(7, "travelRooms")).isEqualTo(10);
    assertThat(played.at(4, "unproposedNorms")).isPositive();
    // Every module spoke: the advocates' norms, what speakers said, what listeners heard and scored.
    assertThat(played.lines()).extracting(Utterance::role).contains("create", "speak", "identify", "evaluate");
    assertThat(played.lines().stream().filter(line -> line.role().equals("create")).count()).isEqualTo(30);
    assertThat(played.lines()).filteredOn(line -> line.role().equals("create")).first()
        .satisfies(line -> assertThat(line.text()).isEqualTo("Norm: Customers should not smoke indoors.\n"
            + "Norm: Customers should not talk loudly.\nNorm: Customers should tip the staff."));
    assertThat(played.lines()).allSatisfy(line -> assertThat(line.model()).isEqualTo("norma-fake-llm"));

    // The control: without advocates no one writes a norm, and conflicts stay where they start
    // (what is said is only what agents see most others do, and how useful they find it).
    Played control = play(fakeModel(), "stop.maxRounds=4", "game.settings.advocatesPerRoom=0");
    for (double[] row : control.rows()) {
      assertThat(row[control.columns().indexOf("conflicts")]).isBetween(0.9 * control.at(0, "conflicts"),
          1.1 * control.at(0, "conflicts"));
    }
    assertThat(control.lines()).extracting(Utterance::role).containsOnly("describe", "evaluate");
  }

  @Test
  void advocatesUncommittedByInterventionWriteNoNormsFromThatPeriod() throws Exception {
    // At period 0: no advocate is ever asked to write its norms, as without advocates.
    Played none = play(fakeModel(), "stop.maxRounds=3", "interventions=[{at: {round: 0}, action: uncommit}]");
    Played control = play(fakeModel(), "stop.maxRounds=3", "game.settings.advocatesPerRoom=0");
    assertThat(none.lines()).extracting(Utterance::role).doesNotContain("create");
    for (int period = 0; period < 3; period++) {
      assertThat(none.rows().get(period)).isEqualTo(control.rows().get(period));
    }
    // Half of them at period 0: the other 15 write theirs at their first period.
    Played half = play(fakeModel(), "stop.maxRounds=1",
        "interventions=[{at: {round: 0}, action: uncommit, fraction: 0.5}]");
    assertThat(half.lines().stream().filter(line -> line.role().equals("create")).count()).isEqualTo(15);
  }

  @Test
  void unusableAnswersAreInvalidTurnsAndTheSafeDefaultsStand() throws Exception {
    // A model that answers nothing usable: no advocate writes a norm, no one complies or speaks.
    EncounterLoop.Model mute = new EncounterLoop.Model() {
      @Override
      public int choose(int agent, long index, Turn turn) {
        return Turn.NO_CHOICE;
      }

      @Override
      public String say(int agent, long index, Turn turn) {
        return "I would rather not say.";
      }
    };
    Played played = play(mute, "stop.maxRounds=2");
    // 30 advocates tried to write their norms in period 0, and are not asked again; each agent
    // seeing most others act alike named no descriptive norm, in both periods.
    long described = played.lines().stream().filter(line -> line.role().equals("describe")).count();
    assertThat(described).isPositive();
    assertThat(played.at(0, "invalidTurns") + played.at(1, "invalidTurns")).isEqualTo(30 + described);
    assertThat(played.at(1, "active.smoking")).isZero();
    assertThat(played.lines()).extracting(Utterance::role).containsOnly("create", "describe");
    assertThat(played.lines()).allSatisfy(line -> assertThat(line.text()).isEmpty());
    assertThat(played.lines().stream().filter(line -> line.role().equals("create")).count()).isEqualTo(30);
  }

  @Test
  void anExchangeChecksItsTurnsAnswers() {
    CrsecConversations conversations = new CrsecConversations(RULES, CrsecTemplate.defaults(), null,
        new String[100]);
    CrsecMind[] room = new CrsecMind[10];
    for (int seat = 0; seat < room.length; seat++) {
      room[seat] = RULES.newMind(seat, 1, false);
    }
    Exchange exchange = conversations.open(room, 0);
    Turn create = exchange.next();
    assertThat(create.role()).isEqualTo("create");
    assertThat(create.freeText()).isTrue();
    assertThat(create.usable("Norm: Customers should not smoke indoors.")).isTrue();
    assertThat(create.usable("No norms today.")).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(exchange::next).isInstanceOf(IllegalStateException.class);
    exchange.said("Norm: Customers should not smoke indoors.\nNorm: Agent-3 should tip the staff.");
    // The personal name fails the check: only the first norm is the advocate's.
    assertThat(room[0].norms(CATALOGUE)).extracting(NormRecord::content)
        .containsExactly("Customers should not smoke indoors.");
    assertThat(room[0].created()).isTrue();
  }

  @Test
  void observationAndSynthesisAskForNormsInTheSameForm() {
    CrsecPrompt prompt = prompt(null);
    CrsecMind mind = ordinary();
    int shouldNotSmoke = CATALOGUE.specific(0, NormRecord.Type.INJUNCTIVE, true);
    int shouldNotTalk = CATALOGUE.specific(1, NormRecord.Type.INJUNCTIVE, true);
    int doNotSmoke = CATALOGUE.specific(0, NormRecord.Type.DESCRIPTIVE, true);
    int doNotTip = CATALOGUE.specific(2, NormRecord.Type.DESCRIPTIVE, false);
    String describe = prompt.describe(mind, 0, List.of(new CrsecRules.Noticed(doNotSmoke, 9, 9, 1.0),
        new CrsecRules.Noticed(doNotTip, 8, 9, 8 / 9.0))).user();
    assertThat(describe).endsWith("This period you watched what the others here did, and most of them acted alike:\n"
        + "- smoke indoors: 9 of the 9 others did not\n- tip the staff: 8 of the 9 others did not\n"
        + "Do you see a norm in it, a rule of what customers here do? Write each you see as one line\n"
        + "Norm: <subject> <predicate> <object>\nfor example \"Norm: Customers do not smoke indoors.\", or, if you"
        + " see none, the word none.");
    assertThat(new CrsecFakeAnswers().answer(describe, bound -> 0)).endsWith(
        "Norm: Customers do not smoke indoors.\nNorm: Customers do not tip the staff.");

    mind.hold(shouldNotTalk, Status.ACTIVE, 80, Reason.STATED, Provenance.CONVERSATION, 2);
    CrsecRules.Merge merge = RULES.mergeable(mind, CATALOGUE.abstractOf(0));
    assertThat(merge).isEqualTo(new CrsecRules.Merge(CATALOGUE.abstractOf(0), List.of(shouldNotSmoke, shouldNotTalk),
        72, true));
    String synthesise = prompt.synthesise(mind, 4, merge).user();
    assertThat(synthesise).endsWith("Time to take stock of your norms. These you hold are related:\n"
        + "- Customers should not smoke indoors. (utility 64)\n- Customers should not talk loudly. (utility 80)\n"
        + "A general norm can sum up several specific ones. The general norms of this café, each with the behaviours"
        + " it covers:\n- Customers should show consideration for others. (smoke indoors, talk loudly)\n"
        + "Does one of them sum up the related norms you hold? If so, write it as one line\n"
        + "Norm: <subject> <predicate> <object>\nor, if none does, the word none.");
    assertThat(new CrsecFakeAnswers().answer(synthesise, bound -> 0)).endsWith(
        "Norm: Customers should show consideration for others.");
    assertThat(prompt.evaluate(mind, 4, CATALOGUE.abstractOf(0), "customers", CrsecPrompt.MERGED, 0).user())
        .contains("You are weighing a new norm: Customers should show consideration for others.\nYou came to it by"
            + " summing up related norms you hold; you have heard it never before.");

    assertThat(ANSWERS.described("Most keep the air clean.\nNorm: Customers do not smoke indoors.\n"
        + "Norm: everyone tips the staff")).containsExactly(new CrsecAnswers.Norm(doNotSmoke, "customers"));
    assertThat(ANSWERS.described("Nothing stands out.\nnone")).isEmpty();
    assertThat(ANSWERS.described("Most do not smoke, I suppose.")).isNull();
    assertThat(ANSWERS.identified("They share a spirit.\nNorm: Customers should show consideration for others.")
        .norm()).isEqualTo(new CrsecAnswers.Norm(CATALOGUE.abstractOf(0), "customers"));
  }

  /** A room of ten at period 4 (a synthesis period): seat 0 holds both norms of consideration. */
  private static CrsecMind[] synthesisRoom() {
    CrsecMind[] room = new CrsecMind[10];
    for (int seat = 0; seat < room.length; seat++) {
      room[seat] = RULES.newMind(seat, 1, false);
      room[seat].persona(false, 0, new int[] {CrsecMind.INDIFFERENT, CrsecMind.INDIFFERENT, CrsecMind.INDIFFERENT});
      room[seat].created(true);
    }
    room[0].hold(CATALOGUE.specific(0, NormRecord.Type.INJUNCTIVE, true), Status.ACTIVE, 64, Reason.STATED,
        Provenance.CONVERSATION, 1);
    room[0].hold(CATALOGUE.specific(1, NormRecord.Type.INJUNCTIVE, true), Status.ACTIVE, 80, Reason.STATED,
        Provenance.CONVERSATION, 2);
    return room;
  }

  /** Plays the room's period: every description none, the synthesis as given, every utility 75. */
  private static double[] playSynthesis(CrsecMind[] room, String synthesis, List<String> roles) {
    CrsecConversations conversations = new CrsecConversations(RULES, CrsecTemplate.defaults(), null,
        new String[100]);
    Exchange exchange = conversations.open(room, 4 * RULES.parameters().rooms());
    for (Turn turn = exchange.next(); turn != null; turn = exchange.next()) {
      roles.add(turn.role());
      exchange.said(switch (turn.role()) {
        case "describe" -> "none";
        case "synthesise" -> synthesis;
        case "evaluate" -> "Utility: 75\nReason: It sums up what I hold.";
        default -> throw new AssertionError("not asked here: " + turn.role());
      });
    }
    return exchange.outcome();
  }

  @Test
  void aSynthesisPassesTheChecksAndAUtilityThenReplacesTheNormsItSumsUp() {
    int adopted = CrsecRules.OUTCOME_COLUMNS.indexOf("adopted");
    int rejected = CrsecRules.OUTCOME_COLUMNS.indexOf("rejected");
    int invalid = CrsecRules.OUTCOME_COLUMNS.indexOf("invalidTurns");
    CrsecMind[] room = synthesisRoom();
    List<String> roles = new ArrayList<>();
    double[] outcome = playSynthesis(room, "Both are about the others.\nNorm: Customers should show consideration for"
        + " others.", roles);
    assertThat(roles).containsExactly("describe", "describe", "describe", "describe", "describe", "describe",
        "describe", "describe", "describe", "describe", "synthesise", "evaluate");
    assertThat(outcome[adopted]).isEqualTo(1);
    assertThat(room[0].norms(CATALOGUE)).singleElement().satisfies(record -> {
      assertThat(record.norm()).isEqualTo(CATALOGUE.abstractOf(0));
      assertThat(record.provenance()).isEqualTo(Provenance.SYNTHESIS);
      assertThat(record.utility()).isEqualTo(75);
      assertThat(record.status()).isEqualTo(Status.ACTIVE);
    });

    // Each check as for any candidate: a personal name, a norm that is not the abstract one of its
    // sources; a synthesis of none is no candidate; an answer in no form an invalid turn.
    for (String answer : List.of("Norm: Agent-4 should show consideration for others.",
        "Norm: Customers should not smoke indoors.", "Norm: Customers do not talk loudly.")) {
      CrsecMind[] again = synthesisRoom();
      roles.clear();
      outcome = playSynthesis(again, answer, roles);
      assertThat(roles).as(answer).endsWith("synthesise");
      assertThat(outcome[rejected]).as(answer).isEqualTo(1);
      assertThat(again[0].norms(CATALOGUE)).as(answer).hasSize(2);
    }
    CrsecMind[] none = synthesisRoom();
    outcome = playSynthesis(none, "They have nothing in common.\nnone", new ArrayList<>());
    assertThat(outcome[adopted] + outcome[rejected] + outcome[invalid]).isZero();
    CrsecMind[] mute = synthesisRoom();
    outcome = playSynthesis(mute, "Consideration, I suppose.", new ArrayList<>());
    assertThat(outcome[invalid]).isEqualTo(1);
    assertThat(mute[0].norms(CATALOGUE)).hasSize(2);
  }
}
