package dev.norma.protocols.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps {@code docs/spec-reference.md} true to the code. */
class SpecReferenceTest {
  private static final Path REFERENCE = Path.of("..", "docs", "spec-reference.md");
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  private static List<String> yamlBlocks() throws IOException {
    Matcher m = YAML_BLOCK.matcher(Files.readString(REFERENCE));
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void theCompleteExampleIsTheEmptySpecWithItsDerivedDefaultsWrittenOut() throws Exception {
    List<String> blocks = yamlBlocks();
    assertThat(blocks).isNotEmpty();
    assertThat(SpecLoader.parse(blocks.get(0), List.of())).isEqualTo(ExperimentSpec.defaults().resolved());
  }

  @Test
  void everyFieldIsDocumented() throws IOException {
    String reference = Files.readString(REFERENCE);
    List<String> missing = new ArrayList<>();
    collectUndocumented(ExperimentSpec.class, "", reference, missing);
    assertThat(missing).isEmpty();
  }

  private static void collectUndocumented(Class<?> type, String prefix, String reference, List<String> missing) {
    for (RecordComponent component : type.getRecordComponents()) {
      String name = component.getName();
      if (component.getType().isRecord()) {
        // A group has its own section (### `game`) or, when small, is documented as group.field.
        collectUndocumented(component.getType(),
            reference.contains("### `" + prefix + name + "`") ? "" : name + ".", reference, missing);
      } else if (!reference.contains("| `" + prefix + name + "`")) {
        missing.add(prefix + name);
      }
    }
  }
}
