package dev.norma.agents.games.naming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.study.PlainLoop;
import dev.norma.protocols.record.InteractionRecord;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NamingGameTest {
  private static final long SEED = 3;
  private static final int Q = 0;
  private static final int M = 1;
  private static final int X = 2;

  /** Plays the choices a test gives it, agent by agent, and counts how often it was asked. */
  private static final class ScriptedPolicy implements NamingPolicy {
    private final Map<Integer, Deque<Integer>> script = new HashMap<>();
    private int asked;

    ScriptedPolicy then(int agent, int... choices) {
      Deque<Integer> queue = script.computeIfAbsent(agent, a -> new ArrayDeque<>());
      for (int c : choices) {
        queue.add(c);
      }
      return this;
    }

    @Override
    public int choose(NamingMind mind) {
      asked++;
      return script.get(mind.id()).removeFirst();
    }
  }

  private final ScriptedPolicy policy = new ScriptedPolicy();
  private final NamingGame game = new NamingGame(List.of("Q", "M", "X"), 3, 100, -50, policy, X);

  @SuppressWarnings("unchecked")
  private InteractionRecord play(NamingMind initiator, NamingMind responder, long index) {
    return PlainLoop.play((Game<Mind>) (Game<?>) game, initiator, responder, index);
  }

  private static String window(NamingMind mind) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < mind.remembered(); i++) {
      sb.append(mind.ownChoice(i)).append('/').append(mind.partnerChoice(i)).append(' ');
    }
    return sb.toString().trim();
  }

  @Test
  void bothPlayersRememberTheirOwnChoiceAndTheirPartnersAfterAFailure() {
    policy.then(0, Q).then(1, M);
    NamingMind first = game.newMind(0, SEED);
    NamingMind second = game.newMind(1, SEED);

    InteractionRecord record = play(first, second, 0);

    assertThat(record.success()).isFalse();
    assertThat(record.initiatorWord()).isEqualTo(Q);
    assertThat(record.responderWord()).isEqualTo(M);
    assertThat(window(first)).isEqualTo("0/1");
    assertThat(window(second)).isEqualTo("1/0");
    assertThat(first.succeeded(0)).isFalse();
    assertThat(game.payoff(record.success())).isEqualTo(-50);
  }

  @Test
  void aMatchIsASuccessWorthTheSuccessPayoff() {
    policy.then(0, M).then(1, M);
    NamingMind first = game.newMind(0, SEED);
    NamingMind second = game.newMind(1, SEED);

    InteractionRecord record = play(first, second, 0);

    assertThat(record.success()).isTrue();
    assertThat(window(first)).isEqualTo("1/1");
    assertThat(window(second)).isEqualTo("1/1");
    assertThat(first.succeeded(0)).isTrue();
    assertThat(game.payoff(true)).isEqualTo(100);
    assertThat(game.payoff(false)).isEqualTo(-50);
    assertThat(game.simultaneous()).isTrue();
  }

  @Test
  void theWindowKeepsOnlyTheLastHInteractionsOldestFirst() {
    NamingMind mind = game.newMind(0, SEED);
    int[][] plays = {{Q, M}, {M, X}, {X, Q}, {Q, Q}, {M, M}};
    for (int i = 0; i < plays.length; i++) {
      game.remember(mind, plays[i][0], plays[i][1], i);
      assertThat(mind.remembered()).isEqualTo(Math.min(i + 1, 3));
    }
    assertThat(mind.capacity()).isEqualTo(3);
    assertThat(window(mind)).isEqualTo("2/0 0/0 1/1");
  }

  @Test
  void theWindowStoresLargeWordIdsWithoutLoss() {
    List<String> manyNames = IntStream.range(0, 65_535).mapToObj(i -> "n" + i).toList();
    NamingGame large = new NamingGame(manyNames, 2, 100, -50, policy, -1);
    NamingMind mind = large.newMind(0, SEED);
    large.remember(mind, 65_534, 32_768, 0);
    large.remember(mind, 40_000, 0, 1);
    assertThat(mind.ownChoice(0)).isEqualTo(65_534);
    assertThat(mind.partnerChoice(0)).isEqualTo(32_768);
    assertThat(mind.ownChoice(1)).isEqualTo(40_000);
    assertThat(mind.partnerChoice(1)).isZero();
  }

  @Test
  void committedAgentsPlayTheCommittedNameLearnNothingAndAreNeverAsked() {
    policy.then(1, Q, X);
    NamingMind committed = game.newMind(0, SEED);
    committed.commitFrom(0);
    NamingMind other = game.newMind(1, SEED);

    InteractionRecord failure = play(committed, other, 0);
    InteractionRecord success = play(other, committed, 1);

    assertThat(failure.initiatorWord()).isEqualTo(X);
    assertThat(failure.initiatorCommitted()).isTrue();
    assertThat(failure.success()).isFalse();
    assertThat(success.responderWord()).isEqualTo(X);
    assertThat(success.responderCommitted()).isTrue();
    assertThat(success.success()).isTrue();
    // What it remembers is the memory of agreement on its name, the same however it plays.
    assertThat(window(committed)).isEqualTo("2/2 2/2 2/2");
    assertThat(window(other)).isEqualTo("0/2 2/2");
    assertThat(policy.asked).isEqualTo(2);
  }

  @Test
  void anAgentRemembersUntilItsCommitmentStarts() {
    policy.then(0, Q).then(1, Q, Q);
    NamingMind later = game.newMind(0, SEED);
    later.commitFrom(1);
    NamingMind other = game.newMind(1, SEED);

    play(later, other, 0);
    InteractionRecord committedPlay = play(later, other, 1);

    assertThat(committedPlay.initiatorWord()).isEqualTo(X);
    // From its first committed play it holds the memory of agreement on its name (what it would
    // start from if an intervention uncommitted it).
    assertThat(window(later)).isEqualTo("2/2 2/2 2/2");
    assertThat(window(other)).isEqualTo("0/0 0/2");
  }

  @Test
  void preparingFillsTheWindowWithSuccessfulPlaysOfTheWord() {
    NamingMind mind = game.newMind(0, SEED);
    game.prepare(mind, M);
    assertThat(window(mind)).isEqualTo("1/1 1/1 1/1");
  }

  @Test
  void wordsAreOnlyThePoolsNames() {
    assertThat(game.wordBound(1000)).isEqualTo(3);
    assertThat(game.nameOf(X)).isEqualTo("X");
    assertThat(game.wordOf("M")).isEqualTo(M);
    assertThat(game.wordOf("nope")).isEqualTo(-1);
  }
}
