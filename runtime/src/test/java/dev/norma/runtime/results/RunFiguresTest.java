package dev.norma.runtime.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The markers a run's plots carry for the interventions it reached. */
class RunFiguresTest {
  @TempDir
  Path temp;

  @Test
  void eachInterventionIsMarkedAtItsRoundSayingWhatChanged() throws Exception {
    Path file = Files.writeString(temp.resolve("interventions.csv"), """
        index,round,action,name,count,agents
        96,2,commit,Q,2,4 17
        144,3,uncommit,,2,4 17
        192,4,relabel,Q\u2192M,0,
        240,5,addNames,K L,0,
        288,6,payoff,success 50 failure -10,0,
        336,7,removeAgents,,3,1 8 9
        384,8,rewire,ring k=4,0,
        """);
    assertThat(RunFigures.markers(null, Csv.read(file))).extracting(Figure.Marker::x, Figure.Marker::label)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2.0, "commit 2 \u2192 Q"),
            org.assertj.core.groups.Tuple.tuple(3.0, "uncommit 2"),
            org.assertj.core.groups.Tuple.tuple(4.0, "relabel Q\u2192M"),
            org.assertj.core.groups.Tuple.tuple(5.0, "addNames K L"),
            org.assertj.core.groups.Tuple.tuple(6.0, "payoff success 50 failure -10"),
            org.assertj.core.groups.Tuple.tuple(7.0, "removeAgents 3"),
            org.assertj.core.groups.Tuple.tuple(8.0, "rewire \u2192 ring k=4"));
  }

  @Test
  void anEncounterGamesInterventionsAreMarkedOnEveryFigureByRound() throws Exception {
    Files.writeString(temp.resolve("rounds.csv"), "round,interactions,conflicts\n0,20,567\n1,40,570\n2,60,559\n");
    Files.writeString(temp.resolve("interventions.csv"), """
        index,round,action,name,count,agents
        0,0,uncommit,,2,0 30
        40,2,uncommit,,1,10
        """);
    RunFigures.RunFiles files = RunFigures.RunFiles.read(temp);
    assertThat(RunFigures.of(files)).singleElement().extracting(Figure::markers).asList()
        .extracting("x", "label").containsExactly(
            org.assertj.core.groups.Tuple.tuple(0.0, "uncommit 2"),
            org.assertj.core.groups.Tuple.tuple(2.0, "uncommit 1"));
  }
}
