package dev.norma.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norma.protocols.spec.ExperimentSpec;
import dev.norma.protocols.spec.PolicySpec;
import dev.norma.runtime.results.RunDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What {@code --help} tells is what the commands do. */
class CommandHelpTest {
  private static String help(String... command) {
    StringWriter out = new StringWriter();
    String[] args = java.util.Arrays.copyOf(command, command.length + 1);
    args[command.length] = "--help";
    assertThat(NormaCli.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args)).isZero();
    return out.toString().replaceAll("\\s+", " ");
  }

  @Test
  void fetchNamesEveryFileANodeServes() {
    String help = help("fetch");
    assertThat(RunDirectory.SERVED).allSatisfy(file -> assertThat(help).contains(file));
  }

  @Test
  void runGivesTheDurabilityDefaultTheSpecHas() {
    assertThat(help("run")).contains("default: the spec's durability, else durable for policy.kind llm, none for"
        + " the others");
    ExperimentSpec llm = new ExperimentSpec(null, null, null, null, null, null, null,
        new PolicySpec(PolicySpec.LLM, null, null), null, null, null);
    assertThat(llm.resolvedDurability()).isEqualTo(ExperimentSpec.DURABLE);
    assertThat(ExperimentSpec.defaults().resolvedDurability()).isEqualTo(ExperimentSpec.DURABILITY_NONE);
  }
}
