package dev.norma.agents.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Groups of g drawn within {@code topology.kind: rooms}: a uniform first member and g − 1 distinct
 * room-mates of it, the seating held for a period of N groups and mixed between periods, all of it
 * a function of the seed.
 */
class RoomGroupsTest {
  private static final int N = 120;

  private static int[] next(RoomGroups groups, int g) {
    int[] members = new int[g];
    groups.next(members);
    return members;
  }

  @Test
  void withoutMovesEveryGroupIsDistinctRoomMatesSeatedById() {
    RoomGroups groups = new RoomGroups(N, 6, 0, 4, 1);
    for (int i = 0; i < 5 * N; i++) {
      int[] members = next(groups, 4);
      assertThat(Arrays.stream(members).distinct().count()).isEqualTo(4);
      assertThat(Arrays.stream(members).map(agent -> agent / 6).distinct()).containsExactly(members[0] / 6);
    }
  }

  /** A group of a whole room shows the room: within a period an agent's groups all hold the same agents. */
  @Test
  void withinAPeriodAnAgentMeetsOnlyItsRoomAndTheRoomsMixBetweenPeriods() {
    RoomGroups groups = new RoomGroups(N, 5, 0.3, 5, 2);
    int changedRooms = 0;
    Map<Integer, String> before = Map.of();
    for (int period = 0; period < 30; period++) {
      Map<Integer, String> roomOf = new HashMap<>();
      for (int i = 0; i < N; i++) {
        int[] members = next(groups, 5);
        String room = Arrays.toString(Arrays.stream(members).sorted().toArray());
        if (period == 0) {
          assertThat(Arrays.stream(members).map(agent -> agent / 5).distinct()).as("seated by id").hasSize(1);
        }
        for (int agent : members) {
          assertThat(roomOf.merge(agent, room, (seen, now) -> seen)).as("period %d, agent %d", period, agent)
              .isEqualTo(room);
        }
      }
      for (Map.Entry<Integer, String> seen : roomOf.entrySet()) {
        changedRooms += before.containsKey(seen.getKey()) && !before.get(seen.getKey()).equals(seen.getValue()) ? 1 : 0;
      }
      before = roomOf;
    }
    // About 0.3 of 120 agents move before each of 29 periods; each move changes two rooms' company.
    assertThat(changedRooms).isGreaterThan(29 * 20);
  }

  @Test
  void aRoundOfNGroupsHasEachAgentFirstOnceOnAverage() {
    RoomGroups groups = new RoomGroups(N, 10, 0.1, 3, 3);
    int[] first = new int[N];
    for (int i = 0; i < 200 * N; i++) {
      first[next(groups, 3)[0]]++;
    }
    // 200 rounds: about 200 times each.
    assertThat(Arrays.stream(first).min().orElseThrow()).isGreaterThan(140);
    assertThat(Arrays.stream(first).max().orElseThrow()).isLessThan(260);
  }

  @Test
  void groupsOfTwoAreTheSequentialPairsAndTheSeedAloneDecides() {
    PairSchedule pairs = RoomPairs.sequential(N, 8, 0.2, 4);
    RoomGroups two = new RoomGroups(N, 8, 0.2, 2, 4);
    for (int i = 0; i < 5 * N; i++) {
      int[] members = next(two, 2);
      assertThat(PairSchedule.pack(members[0], members[1])).isEqualTo(pairs.next());
    }
    assertThat(draw(5)).isEqualTo(draw(5)).isNotEqualTo(draw(6));
  }

  @Test
  void aRoomMustHoldAGroup() {
    assertThatThrownBy(() -> new RoomGroups(N, 4, 0.1, 5, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot draw groups of 5 within rooms of 4");
    assertThatThrownBy(() -> new RoomGroups(N, 7, 0.1, 3, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot seat 120 agents in rooms of 7");
  }

  /** Four periods of groups of 3, end to end. */
  private static int[] draw(long seed) {
    RoomGroups groups = new RoomGroups(N, 6, 0.2, 3, seed);
    int[] all = new int[3 * 4 * N];
    int[] members = new int[3];
    for (int i = 0; i < 4 * N; i++) {
      groups.next(members);
      System.arraycopy(members, 0, all, 3 * i, 3);
    }
    return all;
  }
}
