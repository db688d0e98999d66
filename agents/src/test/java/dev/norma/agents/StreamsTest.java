package dev.norma.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.norma.agents.games.speakerhearer.SpeakerHearerGame;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StreamsTest {

  private static long[] draws(Streams.RandomStream stream, int count) {
    return LongStream.range(0, count).map(i -> stream.nextLong()).toArray();
  }

  @Test
  void sameSeedAndIdGiveTheSameSequence() {
    assertThat(draws(new Streams.RandomStream(42, 7), 100))
        .containsExactly(draws(new Streams.RandomStream(42, 7), 100));
  }

  @Test
  void differentIdsOrSeedsGiveDifferentSequences() {
    long[] reference = draws(new Streams.RandomStream(42, 7), 20);
    assertThat(draws(new Streams.RandomStream(42, 8), 20)).doesNotContain(reference);
    assertThat(draws(new Streams.RandomStream(43, 7), 20)).doesNotContain(reference);
    assertThat(draws(new Streams.RandomStream(42, Streams.SCHEDULE_STREAM), 20)).doesNotContain(reference);
    assertThat(Streams.seedFor(42, Streams.SCHEDULE_STREAM)).isNotEqualTo(Streams.seedFor(42, Streams.COMMITTED_STREAM));
  }

  @Test
  void anAgentsStreamIsTheStreamOfItsIdSoItDoesNotDependOnWhereItRuns() {
    Mind mind = new SpeakerHearerGame(List.of(), true, -1, -1).newMind(5, 99);
    Streams.RandomStream stream = new Streams.RandomStream(99, 5);
    for (int i = 0; i < 50; i++) {
      assertThat(mind.nextLong()).isEqualTo(stream.nextLong());
    }
  }

  @Test
  void nextIntStaysWithinItsBound() {
    Streams.RandomStream stream = new Streams.RandomStream(1, 1);
    for (int bound : new int[] {1, 2, 3, 7, 10, 1000, 1 << 30, Integer.MAX_VALUE}) {
      for (int i = 0; i < 2000; i++) {
        assertThat(stream.nextInt(bound)).isBetween(0, bound - 1);
      }
    }
    assertThat(stream.nextInt(1)).isZero();
    assertThatThrownBy(() -> stream.nextInt(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> stream.nextInt(-3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nextIntIsRoughlyUniform() {
    Streams.RandomStream stream = new Streams.RandomStream(2024, 3);
    int bound = 10;
    int draws = 100_000;
    int[] counts = new int[bound];
    for (int i = 0; i < draws; i++) {
      counts[stream.nextInt(bound)]++;
    }
    // 9 degrees of freedom: P(chi^2 > 27.9) = 0.001.
    assertThat(chiSquare(counts, draws)).isLessThan(27.9);
  }

  @Test
  void nextIntRejectsTheDrawsThatWouldBiasLargeBounds() {
    // 2^32 / (3 * 2^29) = 8/3: a bare multiply-shift gives values 3k and 3k+1 three preimages
    // each and 3k+2 only two, so residue 2 would come up 1/4 of the time instead of 1/3.
    Streams.RandomStream stream = new Streams.RandomStream(7, 7);
    int[] residues = new int[3];
    int draws = 60_000;
    for (int i = 0; i < draws; i++) {
      residues[stream.nextInt(3 << 29) % 3]++;
    }
    assertThat(residues[2] / (double) draws).isCloseTo(1 / 3.0, within(0.01));
  }

  @Test
  void nextDoubleIsInTheUnitIntervalWithMeanOneHalf() {
    Streams.RandomStream stream = new Streams.RandomStream(5, 5);
    double sum = 0;
    for (int i = 0; i < 100_000; i++) {
      double d = stream.nextDouble();
      assertThat(d).isGreaterThanOrEqualTo(0).isLessThan(1);
      sum += d;
    }
    assertThat(sum / 100_000).isCloseTo(0.5, within(0.005));
  }

  static double chiSquare(int[] counts, int total) {
    double expected = (double) total / counts.length;
    double chi = 0;
    for (int c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    return chi;
  }
}
