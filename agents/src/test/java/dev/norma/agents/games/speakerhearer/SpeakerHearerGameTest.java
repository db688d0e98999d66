package dev.norma.agents.games.speakerhearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.Mind;
import dev.norma.agents.game.Game;
import dev.norma.agents.study.PlainLoop;
import dev.norma.protocols.record.InteractionRecord;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeakerHearerGameTest {
  private static final long SEED = 11;
  private static final int A = 0;
  private static final int B = 1;

  private final SpeakerHearerGame inventing = new SpeakerHearerGame(List.of("K", "L"), true, -1, -1);
  private final SpeakerHearerGame pooled = new SpeakerHearerGame(List.of("Q", "M", "X"), false, -1, -1);
  private final SpeakerHearerGame binary = new SpeakerHearerGame(List.of("A", "B"), false, A, B);

  private static InventoryMind holding(SpeakerHearerGame game, int id, int... words) {
    InventoryMind mind = game.newMind(id, SEED);
    for (int w : words) {
      mind.add(w);
    }
    return mind;
  }

  private static int[] words(InventoryMind mind) {
    int[] out = new int[mind.inventorySize()];
    for (int i = 0; i < out.length; i++) {
      out[i] = mind.word(i);
    }
    Arrays.sort(out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Game<Mind> erased(SpeakerHearerGame game) {
    return (Game<Mind>) (Game<?>) game;
  }

  @Test
  void aSpeakerWithAnEmptyInventoryInventsAWordNumberedAfterTheNamesByItsIdAndKeepsIt() {
    InventoryMind speaker = inventing.newMind(7, SEED);
    assertThat(speaker.inventorySize()).isZero();

    int word = inventing.produce(speaker, 0);

    assertThat(word).isEqualTo(2 + 7);
    assertThat(words(speaker)).containsExactly(9);
    assertThat(inventing.nameOf(word)).isEqualTo("w7");
    assertThat(inventing.wordOf("w7")).isEqualTo(9);
    assertThat(inventing.wordBound(100)).isEqualTo(102);
  }

  @Test
  void aSpeakerWithAnEmptyInventoryPicksFromThePoolWhenTheGameDoesNotInvent() {
    int[] seen = new int[3];
    for (int id = 0; id < 300; id++) {
      InventoryMind speaker = pooled.newMind(id, SEED);
      int word = pooled.produce(speaker, 0);
      assertThat(word).isBetween(0, 2);
      assertThat(words(speaker)).containsExactly(word);
      seen[word]++;
    }
    for (int count : seen) {
      assertThat(count).isBetween(60, 140);
    }
    assertThat(pooled.wordBound(100)).isEqualTo(3);
  }

  @Test
  void aSpeakerUttersOnlyWordsOfItsInventoryAndEachOfThem() {
    InventoryMind speaker = holding(pooled, 0, 0, 2);
    int[] seen = new int[3];
    for (int i = 0; i < 400; i++) {
      seen[pooled.produce(speaker, i)]++;
    }
    assertThat(seen[1]).isZero();
    assertThat(seen[0]).isBetween(140, 260);
    assertThat(words(speaker)).containsExactly(0, 2);
  }

  @Test
  void aHearerHoldingTheWordMakesBothCollapseToIt() {
    InventoryMind speaker = holding(inventing, 0, 3, 4, 5);
    InventoryMind hearer = holding(inventing, 1, 5, 8);

    Game.Reply reply = inventing.respond(hearer, 5, 0);
    inventing.conclude(speaker, 5, reply, 0);

    assertThat(reply.success()).isTrue();
    assertThat(reply.word()).isEqualTo(-1);
    assertThat(words(hearer)).containsExactly(5);
    assertThat(words(speaker)).containsExactly(5);
    assertThat(inventing.payoff(true)).isZero();
  }

  @Test
  void aHearerLackingTheWordAddsItAndTheSpeakerIsUnchanged() {
    InventoryMind speaker = holding(inventing, 0, 3, 4, 5);
    InventoryMind hearer = holding(inventing, 1, 8);

    Game.Reply reply = inventing.respond(hearer, 4, 0);
    inventing.conclude(speaker, 4, reply, 0);

    assertThat(reply.success()).isFalse();
    assertThat(words(hearer)).containsExactly(4, 8);
    assertThat(words(speaker)).containsExactly(3, 4, 5);
  }

  @Test
  void aFullPlayCollapsesBothOnSuccessAndReportsTheNewStates() {
    InventoryMind speaker = holding(inventing, 0, 3, 4);
    InventoryMind hearer = holding(inventing, 1, 3, 4, 9);

    InteractionRecord record = PlainLoop.play(erased(inventing), speaker, hearer, 0);

    assertThat(record.success()).isTrue();
    assertThat(record.initiatorWord()).isIn(3, 4);
    assertThat(record.responderWord()).isEqualTo(-1);
    assertThat(words(speaker)).containsExactly(record.initiatorWord());
    assertThat(words(hearer)).containsExactly(record.initiatorWord());
    assertThat(record.initiatorInventory()).isEqualTo(1);
    assertThat(record.responderInventory()).isEqualTo(1);
    assertThat(record.initiatorSole()).isEqualTo(record.initiatorWord());
    assertThat(record.responderSole()).isEqualTo(record.initiatorWord());
  }

  @Test
  void aFullPlayThatFailsGrowsOnlyTheHearer() {
    InventoryMind speaker = holding(inventing, 0, 3, 4);
    InventoryMind hearer = holding(inventing, 1, 9);

    InteractionRecord record = PlainLoop.play(erased(inventing), speaker, hearer, 0);

    assertThat(record.success()).isFalse();
    assertThat(words(speaker)).containsExactly(3, 4);
    assertThat(words(hearer)).containsExactlyInAnyOrder(9, record.initiatorWord());
    assertThat(record.initiatorInventory()).isEqualTo(2);
    assertThat(record.responderInventory()).isEqualTo(2);
    assertThat(record.initiatorSole()).isEqualTo(-1);
    assertThat(record.responderSole()).isEqualTo(-1);
  }

  @Test
  void binaryAgreementStartsEveryAgentOnTheMajorityWord() {
    InventoryMind mind = binary.newMind(3, SEED);
    assertThat(words(mind)).containsExactly(B);
    assertThat(mind.soleWord()).isEqualTo(B);
  }

  @Test
  void aCommittedAgentAlwaysUttersTheCommittedWordAndNeverChanges() {
    InventoryMind committed = holding(binary, 0, A);
    assertThat(words(committed)).containsExactly(A, B);
    committed.commitFrom(0);

    for (int i = 0; i < 50; i++) {
      assertThat(binary.produce(committed, i)).isEqualTo(A);
    }
    assertThat(words(committed)).containsExactly(A);

    Game.Reply failure = binary.respond(committed, B, 50);
    assertThat(failure.success()).isFalse();
    assertThat(words(committed)).containsExactly(A);

    Game.Reply success = binary.respond(committed, A, 51);
    assertThat(success.success()).isTrue();
    assertThat(words(committed)).containsExactly(A);

    binary.conclude(committed, A, new Game.Reply(-1, true), 52);
    assertThat(words(committed)).containsExactly(A);
  }

  @Test
  void anUncommittedPartnerOfACommittedAgentFollowsTheUsualRule() {
    InventoryMind committed = binary.newMind(0, SEED);
    committed.commitFrom(0);
    InventoryMind hearer = binary.newMind(1, SEED);

    InteractionRecord first = PlainLoop.play(erased(binary), committed, hearer, 0);
    assertThat(first.success()).isFalse();
    assertThat(first.initiatorCommitted()).isTrue();
    assertThat(words(hearer)).containsExactly(A, B);

    // The AB speaker, heard by the committed agent: success only on A, and then it collapses to A.
    boolean succeeded = false;
    for (long index = 1; index < 100 && !succeeded; index++) {
      InteractionRecord back = PlainLoop.play(erased(binary), hearer, committed, index);
      assertThat(back.success()).isEqualTo(back.initiatorWord() == A);
      assertThat(words(committed)).containsExactly(A);
      succeeded = back.success();
      assertThat(words(hearer)).containsExactly(succeeded ? new int[] {A} : new int[] {A, B});
    }
    assertThat(succeeded).isTrue();
  }

  @Test
  void commitmentStartsAtItsInteractionIndex() {
    InventoryMind mind = binary.newMind(0, SEED);
    mind.commitFrom(10);
    binary.respond(mind, A, 9);
    assertThat(words(mind)).containsExactly(A, B);
    assertThat(binary.produce(mind, 10)).isEqualTo(A);
    assertThat(words(mind)).containsExactly(A);
  }

  @Test
  void anUndecidedSpeakerUttersEitherWordWithProbabilityOneHalf() {
    InventoryMind undecided = binary.newMind(4, SEED);
    binary.respond(undecided, A, 0);
    assertThat(words(undecided)).containsExactly(A, B);

    int draws = 20_000;
    int saidA = 0;
    for (int i = 0; i < draws; i++) {
      saidA += binary.produce(undecided, i) == A ? 1 : 0;
    }
    // Standard error 0.0035; a speaker preferring either word by 3 points would fail.
    assertThat(saidA / (double) draws).isCloseTo(0.5, within(0.015));
    assertThat(words(undecided)).containsExactly(A, B);
  }

  @Test
  void aDecidedSpeakerAlwaysUttersItsWord() {
    InventoryMind decided = binary.newMind(4, SEED);
    for (int i = 0; i < 100; i++) {
      assertThat(binary.produce(decided, i)).isEqualTo(B);
    }
  }
}
