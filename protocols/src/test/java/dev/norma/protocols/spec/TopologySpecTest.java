package dev.norma.protocols.spec;

import static dev.norma.protocols.spec.Specs.parse;
import static dev.norma.protocols.spec.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The interaction network's section: defaults, ranges named by their field, the edge-list file. */
class TopologySpecTest {
  @TempDir
  Path temp;

  @Test
  void aSpecWithoutTopologyIsStillTheCompleteGraph() {
    TopologySpec topology = parse("population: {size: 24}\n").topology();
    assertThat(topology).isEqualTo(new TopologySpec("complete"));
    assertThat(topology.complete()).isTrue();
  }

  @Test
  void unsetFieldsTakeTheKindsDefaults() {
    TopologySpec ring = parse("topology: {kind: small-world}\n").topology();
    assertThat(ring.resolvedK()).isEqualTo(4);
    assertThat(ring.resolvedP()).isEqualTo(0.1);
    assertThat(parse("topology: {kind: scale-free}\n").topology().resolvedM()).isEqualTo(2);
    TopologySpec square = parse("population: {size: 25}\ntopology: {kind: lattice}\n").topology();
    assertThat(square.resolvedRows(25)).isEqualTo(5);
    TopologySpec given = parse("population: {size: 24}\ntopology: {kind: lattice, cols: 6}\n").topology();
    assertThat(given.resolvedRows(24)).isEqualTo(4);
    assertThat(given.resolvedCols(24)).isEqualTo(6);
    TopologySpec rooms = parse("population: {size: 30}\ntopology: {kind: rooms}\n").topology();
    assertThat(rooms.rooms()).isTrue();
    assertThat(rooms.resolvedSize()).isEqualTo(10);
    assertThat(rooms.resolvedMoveProbability()).isEqualTo(0.1);
    TopologySpec given6 = parse("population: {size: 30}\ntopology: {kind: rooms, size: 6, moveProbability: 0}\n")
        .topology();
    assertThat(given6.resolvedSize()).isEqualTo(6);
    assertThat(given6.resolvedMoveProbability()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "topology.kind=ring;topology.k=3 | topology.k: expected an even number of neighbours from 2 to 23 (below population.size 24), got 3",
      "topology.kind=ring;topology.k=24 | topology.k: expected an even number of neighbours from 2 to 23 (below population.size 24), got 24",
      "topology.kind=small-world;topology.k=0 | topology.k: expected an even number of neighbours from 2 to 23 (below population.size 24), got 0",
      "topology.kind=small-world;topology.p=1.5 | topology.p: expected a rewiring probability in [0, 1], got 1.5",
      "topology.kind=scale-free;topology.m=0 | topology.m: expected 1..23 links per new agent (below population.size 24), got 0",
      "topology.kind=scale-free;topology.m=24 | topology.m: expected 1..23 links per new agent (below population.size 24), got 24",
      "topology.kind=lattice | topology.rows: population.size 24 is not a square: give topology.rows and topology.cols (rows × cols = 24)",
      "topology.kind=lattice;population.size=4 | topology.rows: expected a grid at least 3 × 3, got 2 × 2",
      "topology.kind=lattice;topology.rows=5 | topology.rows: expected rows × cols = population.size 24, got rows 5 and cols unset",
      "topology.kind=lattice;topology.rows=4;topology.cols=5 | topology.rows: expected rows × cols = population.size 24, got rows 4 and cols 5",
      "topology.kind=lattice;topology.rows=2;topology.cols=12 | topology.rows: expected at least 3 (a smaller side makes two neighbours one agent), got 2",
      "topology.kind=ring;topology.m=2 | topology.m: applies only to topology.kind scale-free",
      "topology.p=0.2 | topology.p: applies only to topology.kind small-world",
      "topology.kind=ring;topology.file=x.txt | topology.file: applies only to topology.kind edges",
      "topology.kind=edges | topology.file: expected the path of an edge-list file for topology.kind 'edges'",
      "topology.kind=edges;topology.file=/no/such/edges.txt | topology.file: no such file: /no/such/edges.txt",
      "topology.kind=ring;schedule.kind=continuous | topology.kind: 'ring' needs schedule.kind 'sequential' or 'rounds': the continuous schedule pairs whichever agents are free, from the whole population ('complete' only)",
      "topology.kind=rooms | topology.size: expected agents per room, from 2 to 24 and dividing population.size 24 (every room full), got 10 (the default)",
      "topology.kind=rooms;topology.size=7 | topology.size: expected agents per room, from 2 to 24 and dividing population.size 24 (every room full), got 7",
      "topology.kind=rooms;topology.size=1 | topology.size: expected agents per room, from 2 to 24 and dividing population.size 24 (every room full), got 1",
      "topology.kind=rooms;topology.size=48 | topology.size: expected agents per room, from 2 to 24 and dividing population.size 24 (every room full), got 48",
      "topology.kind=rooms;topology.size=6;topology.moveProbability=1.5 | topology.moveProbability: expected a probability in [0, 1] (that an agent changes seats before a period), got 1.5",
      "topology.kind=rooms;topology.size=6;topology.moveProbability=-0.1 | topology.moveProbability: expected a probability in [0, 1] (that an agent changes seats before a period), got -0.1",
      "topology.size=6 | topology.size: applies only to topology.kind rooms",
      "topology.kind=ring;topology.moveProbability=0.2 | topology.moveProbability: applies only to topology.kind rooms",
      "topology.kind=rooms;topology.size=6;topology.k=2 | topology.k: applies only to topology.kind ring or small-world",
      "topology.kind=rooms;topology.size=6;schedule.kind=continuous | topology.kind: 'rooms' needs schedule.kind 'sequential' or 'rounds': the continuous schedule pairs whichever agents are free, from the whole population ('complete' only)",
  })
  void badFieldsAreNamed(String overrides, String expected) {
    assertThat(problems("population: {size: 24}\n", overrides.split(";"))).containsExactly(expected);
  }

  @Test
  void everyKindWithItsDefaultsIsValid() {
    for (String kind : TopologySpec.KINDS) {
      if (!TopologySpec.EDGES.equals(kind)) {
        assertThat(parse("population: {size: 100}\n", "topology.kind=" + kind).topology().kind()).isEqualTo(kind);
      }
    }
    assertThat(parse("", "topology.kind=scale-free", "schedule.kind=rounds").schedule().kind()).isEqualTo("rounds");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "'0 1\n1 2\n2 9\n' | line 3: agent 9 is out of range 0..3 (population.size 4)",
      "'0 1\n1 -1\n' | line 2: agent -1 is out of range 0..3 (population.size 4)",
      "'# a square\n\n0 1\n1 1\n' | line 4: a self loop (1 to 1); an agent cannot meet itself",
      "'0 1\n1 2 3\n' | line 2: expected two agent ids, got '1 2 3'",
      "'0 1\n1 two\n' | line 2: expected an agent id (a whole number), got 'two'",
      "'0 1\n1 2\n' | 1 agent(s) have no edge, the first is agent 3: an agent without neighbours can never play",
      "'0 1\n2 3\n' | the graph falls into 2 separate parts (no path from agent 0 to agent 2): a convention could never spread between them",
  })
  void anEdgeListIsCheckedLineByLine(String text, String expected) throws Exception {
    Path file = temp.resolve("edges.txt");
    Files.writeString(file, text);
    assertThat(problems("population: {size: 4}\ntopology: {kind: edges, file: '" + file + "'}\n"))
        .containsExactly("topology.file: " + file + ": " + expected);
  }

  @Test
  void repeatedEdgesCountOnceInEitherDirection() throws Exception {
    Path file = temp.resolve("square.csv");
    Files.writeString(file, "0,1\n1 , 2\n2\t3\n3 0\n1 0\n0 1\n");
    EdgeListFile.Edges edges = EdgeListFile.read(file, 4);
    assertThat(edges.count()).isEqualTo(4);
    assertThat(edges.from()).containsExactly(0, 0, 1, 2);
    assertThat(edges.to()).containsExactly(1, 3, 2, 3);
  }

  @Test
  void aRelativeEdgeFileIsFoundBesideTheSpecFile() throws Exception {
    Path directory = Files.createDirectories(temp.resolve("study"));
    Files.writeString(directory.resolve("square.txt"), "0 1\n1 2\n2 3\n3 0\n");
    Path spec = directory.resolve("spec.yaml");
    Files.writeString(spec, "population: {size: 4}\ntopology: {kind: edges, file: square.txt}\n");

    ExperimentSpec loaded = SpecLoader.load(spec, List.of());
    assertThat(Path.of(loaded.topology().file())).isEqualTo(directory.resolve("square.txt").toAbsolutePath());
    // The run directory's copy names the same file from anywhere.
    assertThat(SpecLoader.toYaml(loaded.resolved())).contains("file: " + directory.resolve("square.txt").toAbsolutePath());
    // Given on the command line, a relative path is the working directory's: not found here.
    assertThatThrownBy(() -> SpecLoader.load(spec, List.of("topology.file=square.txt")))
        .isInstanceOfSatisfying(SpecException.class, e ->
            assertThat(e.problems()).containsExactly("topology.file: no such file: square.txt"));
  }

  @Test
  void aSubmittedSpecNamesOnlyFilesTheNodeAllows() throws Exception {
    Path file = temp.resolve("square.txt");
    Files.writeString(file, "0 1\n1 2\n2 3\n3 0\n");
    NodeRules rules = new NodeRules();
    assertThat(Specs.submittedProblems(rules,
        "population: {size: 4}\ntopology: {kind: edges, file: '" + file + "'}\n"))
        .containsExactly("topology.file: outside the allowed directories");
    assertThat(rules.asked).containsExactly(file.toString());
  }
}
