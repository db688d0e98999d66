package dev.norma.runtime.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The markers a run's plots get from its {@code interventions.csv}. */
class RunFiguresTest {
  @TempDir
  Path temp;

  @Test
  void eachInterventionIsMarkedAtItsRoundSayingWhatChanged() throws Exception {
    Path file = Files.writeString(temp.resolve("interventions.csv"), """
        index,round,action,name,count,agents
        96,2,commit,Q,2,4 17
        240,5,removeAgents,,3,1 8 9
        300,6,rewire,ring k=4,0,
        """);
    assertThat(RunFigures.markers(null, Csv.read(file))).containsExactly(
        new Figure.Marker(2, "commit 2 \u2192 Q"),
        new Figure.Marker(5, "removeAgents 3"),
        new Figure.Marker(6, "rewire \u2192 ring k=4"));
  }
}
