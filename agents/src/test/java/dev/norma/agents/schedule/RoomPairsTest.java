package dev.norma.agents.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.agents.Specs;
import dev.norma.agents.study.StudyPlan;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code topology.kind: rooms} for pair games: within a period (a population round) agents meet
 * only room-mates, the rooms keep their size, the seats mix between periods, and the pairs are a
 * function of the seed.
 */
class RoomPairsTest {
  private static final int N = 400;

  private static PairSchedule schedule(String schedule, int size, double move, long seed) {
    return new StudyPlan(Specs.of("population.size=" + N, "topology.kind=rooms", "topology.size=" + size,
        "topology.moveProbability=" + move, "schedule.kind=" + schedule), seed).newSchedule();
  }

  /** One period's pairs, and the groups they join (a room's company, seen through who met whom). */
  private record Period(long[] pairs, int[] group, int[] groupSize) {
    static Period next(PairSchedule schedule) {
      long[] pairs = new long[N];
      int[] group = new int[N];
      for (int agent = 0; agent < N; agent++) {
        group[agent] = agent;
      }
      for (int i = 0; i < N; i++) {
        pairs[i] = schedule.next();
        int a = find(group, PairSchedule.initiator(pairs[i]));
        int b = find(group, PairSchedule.responder(pairs[i]));
        group[Math.max(a, b)] = Math.min(a, b);
      }
      int[] groupSize = new int[N];
      for (int agent = 0; agent < N; agent++) {
        groupSize[find(group, agent)]++;
      }
      return new Period(pairs, group, groupSize);
    }

    private static int find(int[] group, int agent) {
      while (group[agent] != agent) {
        agent = group[agent];
      }
      return agent;
    }

    int largestGroup() {
      return Arrays.stream(groupSize).max().orElseThrow();
    }
  }

  @Test
  void theRoundsScheduleMatchesEveryAgentTwiceAPeriodWithinItsRoom() {
    PairSchedule schedule = schedule("rounds", 10, 0.2, 3);
    int crossings = 0;
    for (int period = 0; period < 10; period++) {
      Period seen = Period.next(schedule);
      // Two matchings of 200 pairs: each agent once in each.
      for (int matching = 0; matching < 2; matching++) {
        boolean[] matched = new boolean[N];
        for (int i = matching * N / 2; i < (matching + 1) * N / 2; i++) {
          long pair = seen.pairs()[i];
          assertThat(matched[PairSchedule.initiator(pair)] || matched[PairSchedule.responder(pair)]).isFalse();
          matched[PairSchedule.initiator(pair)] = true;
          matched[PairSchedule.responder(pair)] = true;
        }
      }
      // Nobody meets beyond its room: the groups of who met whom are at most a room.
      assertThat(seen.largestGroup()).isLessThanOrEqualTo(10);
      for (long pair : seen.pairs()) {
        if (PairSchedule.initiator(pair) / 10 != PairSchedule.responder(pair) / 10) {
          crossings++;
          assertThat(period).as("the first period's rooms are seated by id").isPositive();
        }
      }
    }
    // From the second period on, agents who started in different rooms meet.
    assertThat(crossings).isPositive();
  }

  @Test
  void withoutMovesTheRoomsStayAsSeatedAndAnOddRoomLeavesOneOutOfEachMatching() {
    PairSchedule schedule = schedule("rounds", 5, 0, 4);
    // 80 rooms of 5: two pairs each, one agent left out; a period of 400 pairs is two matchings of
    // 160 and the first 80 of a third, cut off when the next period starts a fresh one.
    int[] matchings = {160, 160, 80};
    for (int matching = 0; matching < 30; matching++) {
      boolean[] matched = new boolean[N];
      for (int i = 0; i < matchings[matching % 3]; i++) {
        long pair = schedule.next();
        int a = PairSchedule.initiator(pair);
        int b = PairSchedule.responder(pair);
        assertThat(a / 5).isEqualTo(b / 5);
        assertThat(matched[a] || matched[b]).isFalse();
        matched[a] = true;
        matched[b] = true;
      }
    }
  }

  @Test
  void theSequentialScheduleDrawsAUniformInitiatorAndARoomMate() {
    PairSchedule schedule = schedule("sequential", 8, 0.5, 5);
    int[] initiated = new int[N];
    for (int period = 0; period < 100; period++) {
      Period seen = Period.next(schedule);
      assertThat(seen.largestGroup()).isLessThanOrEqualTo(8);
      for (long pair : seen.pairs()) {
        assertThat(PairSchedule.initiator(pair)).isNotEqualTo(PairSchedule.responder(pair));
        initiated[PairSchedule.initiator(pair)]++;
      }
    }
    // 40,000 draws over 400 agents: each about 100 times.
    assertThat(Arrays.stream(initiated).min().orElseThrow()).isGreaterThan(60);
    assertThat(Arrays.stream(initiated).max().orElseThrow()).isLessThan(140);
  }

  @Test
  void theSameSeedGivesTheSamePairsAndAnotherSeedOthers() {
    for (String kind : new String[] {"rounds", "sequential"}) {
      long[] first = draw(schedule(kind, 10, 0.1, 7));
      assertThat(draw(schedule(kind, 10, 0.1, 7))).as(kind).isEqualTo(first);
      assertThat(draw(schedule(kind, 10, 0.1, 8))).as(kind).isNotEqualTo(first);
    }
  }

  @Test
  void thePlansNetworkIsTheRoomsAsSeatedAtTheStart() {
    Topology rooms = new StudyPlan(Specs.of("population.size=12", "topology.kind=rooms", "topology.size=4"), 1)
        .topology();
    int[] mates = new int[rooms.degree(5)];
    for (int i = 0; i < mates.length; i++) {
      mates[i] = rooms.neighbour(5, i);
    }
    assertThat(mates).containsExactly(4, 6, 7);
    assertThat(rooms.neighbour(8, 0)).isEqualTo(9);
  }

  private static long[] draw(PairSchedule schedule) {
    long[] pairs = new long[5 * N];
    for (int i = 0; i < pairs.length; i++) {
      pairs[i] = schedule.next();
    }
    return pairs;
  }
}
