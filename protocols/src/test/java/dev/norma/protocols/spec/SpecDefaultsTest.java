package dev.norma.protocols.spec;

import static dev.norma.protocols.spec.Specs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpecDefaultsTest {

  @Test
  void anEmptySpecHoldsEveryDefault() {
    ExperimentSpec spec = parse("");

    assertThat(spec).isEqualTo(ExperimentSpec.defaults());
    assertThat(spec.format()).isEqualTo(ExperimentSpec.FORMAT).isEqualTo(1);
    assertThat(spec.name()).isEqualTo("study");
    assertThat(spec.seed()).isNull();
    assertThat(spec.population().size()).isEqualTo(24);
    assertThat(spec.topology().kind()).isEqualTo(TopologySpec.COMPLETE);

    GameSpec game = spec.game();
    assertThat(game.kind()).isEqualTo(GameSpec.NAMING);
    assertThat(game.names()).isNull();
    assertThat(game.poolSize()).isNull();
    assertThat(game.memory()).isEqualTo(5);
    assertThat(game.payoff().success()).isEqualTo(100);
    assertThat(game.payoff().failure()).isEqualTo(-50);

    CommittedSpec committed = spec.committed();
    assertThat(committed.count()).isNull();
    assertThat(committed.fraction()).isNull();
    assertThat(committed.name()).isNull();
    assertThat(committed.introduce()).isEqualTo("start");
    assertThat(committed.majorityName()).isNull();

    assertThat(spec.policy().kind()).isNull();
    assertThat(spec.policy().temperature()).isEqualTo(0.1);
    assertThat(spec.policy().bias()).isEmpty();

    assertThat(spec.schedule().kind()).isEqualTo(ScheduleSpec.SEQUENTIAL);
    assertThat(spec.schedule().inFlight()).isEqualTo(8000);

    StopSpec stop = spec.stop();
    assertThat(stop.maxRounds()).isEqualTo(1000L);
    assertThat(stop.onConvergence()).isTrue();
    assertThat(stop.convergenceWindowRounds()).isEqualTo(3);
    assertThat(stop.flipThreshold()).isEqualTo(0.95);
    assertThat(stop.flipWindowRounds()).isEqualTo(3);
    assertThat(stop.flipWithinRounds()).isEqualTo(30);
    assertThat(stop.onFlip()).isTrue();

    assertThat(spec.output().dir()).isNull();
    assertThat(spec.output().interactions()).isTrue();
    assertThat(spec.durability()).isNull();
  }

  @Test
  void ruleBasedStudiesAreNotDurableUnlessAsked() {
    assertThat(parse("").resolvedDurability()).isEqualTo(ExperimentSpec.DURABILITY_NONE);
    assertThat(parse("").durable()).isFalse();
    assertThat(parse("durability: durable").durable()).isTrue();
    assertThat(parse("").resolved().durability()).isEqualTo("none");
    assertThat(parse("durability: durable").resolved().durability()).isEqualTo("durable");
  }

  @Test
  void languageModelStudiesAreDurableUnlessTheSpecSaysNone() {
    String llm = "policy: {kind: llm}\ninference: {endpoints: [{name: e, url: 'http://localhost:1/v1', model: m}]}\n";
    assertThat(parse(llm).resolvedDurability()).isEqualTo(ExperimentSpec.DURABLE);
    assertThat(parse(llm + "durability: none\n").durable()).isFalse();
  }

  @Test
  void anEmptySpecIsAsheryNamingGameWithoutMinority() {
    ExperimentSpec spec = parse("");

    assertThat(spec.game().resolvedNames()).containsExactly("Q", "M", "X", "Y", "F", "J", "P", "R", "C", "D");
    assertThat(spec.policy().resolvedKind(spec.game())).isEqualTo(PolicySpec.MEMORY);
    assertThat(spec.committedCount()).isZero();
    assertThat(spec.committed().introduction()).isEqualTo(CommittedSpec.Introduction.START);
    assertThat(spec.committed().introductionRound()).isZero();
  }

  @Test
  void aNullDocumentOrOnlyCommentsIsTheEmptySpec() {
    assertThat(parse("~")).isEqualTo(ExperimentSpec.defaults());
    assertThat(parse("# nothing but a comment\n")).isEqualTo(ExperimentSpec.defaults());
    assertThat(parse("population:\ngame: ~\n")).isEqualTo(ExperimentSpec.defaults());
  }

  @Test
  void theDefaultsValidate() {
    SpecErrors errors = new SpecErrors();
    ExperimentSpec.defaults().validate(errors);
    assertThat(errors.messages()).isEmpty();
  }

  @Test
  void eachGameHasItsOwnPoolAndPolicy() {
    ExperimentSpec minimal = parse("game: {kind: minimal-naming}");
    assertThat(minimal.game().resolvedNames()).isEmpty();
    assertThat(minimal.policy().resolvedKind(minimal.game())).isEqualTo(PolicySpec.RULES);

    ExperimentSpec binary = parse("game: {kind: binary-agreement}");
    assertThat(binary.game().resolvedNames()).containsExactly("A", "B");
    assertThat(binary.policy().resolvedKind(binary.game())).isEqualTo(PolicySpec.RULES);
    assertThat(binary.committed().resolvedName(binary.game().resolvedNames())).isEqualTo("A");
    assertThat(binary.committed().resolvedMajorityName(binary.game().resolvedNames())).isEqualTo("B");
  }

  @Test
  void poolSizeGeneratesLettersThenNumberedNames() {
    assertThat(parse("game: {poolSize: 3}").game().resolvedNames()).containsExactly("A", "B", "C");
    assertThat(GameSpec.generatedNames(28)).endsWith("Z", "N27", "N28");
  }

  @Test
  void theCommittedMinorityTakesThePoolsFirstNameAgainstItsSecond() {
    ExperimentSpec spec = parse("committed: {introduce: prepared, count: 6}");
    var pool = spec.game().resolvedNames();
    assertThat(spec.committed().resolvedName(pool)).isEqualTo("Q");
    assertThat(spec.committed().resolvedMajorityName(pool)).isEqualTo("M");
    assertThat(spec.committed().introduction()).isEqualTo(CommittedSpec.Introduction.PREPARED);
    assertThat(spec.committedCount()).isEqualTo(6);
  }

  @Test
  void aFractionIsRoundedToTheNearestAgent() {
    assertThat(parse("population: {size: 48}\ncommitted: {fraction: 0.25}").committedCount()).isEqualTo(12);
    assertThat(parse("population: {size: 1000}\ncommitted: {fraction: 0.12}").committedCount()).isEqualTo(120);
    assertThat(parse("population: {size: 24}\ncommitted: {fraction: 0.02}").committedCount()).isZero();
  }

  @Test
  void atRoundIntroducesTheMinorityLater() {
    for (String form : new String[] {"atRound 5", "atRound5", "atRound=5", "atRound:5"}) {
      CommittedSpec committed = parse("committed: {introduce: '" + form + "', count: 2}").committed();
      assertThat(committed.introduction()).as(form).isEqualTo(CommittedSpec.Introduction.AT_ROUND);
      assertThat(committed.introductionRound()).as(form).isEqualTo(5);
    }
  }
}
