package dev.norma.protocols.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a spec file, applies {@code --set path=value} overrides, binds it strictly (unknown keys
 * and wrong types are errors) and validates it. Every error names the dotted field path.
 */
public final class SpecLoader {
  private static final ObjectMapper YAML = strictMapper();

  private SpecLoader() {
  }

  private static ObjectMapper strictMapper() {
    YAMLFactory factory = YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .stringQuotingChecker(new TextStaysText())
        .build();
    ObjectMapper mapper = new ObjectMapper(factory);
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    // "24" is not a number and 3 is not a name: no silent conversion between scalar kinds.
    mapper.coercionConfigDefaults()
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    // Nor is yes (which YAML reads as true) a name, nor 1 a boolean.
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    mapper.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    return mapper;
  }

  /** Loads, overrides, binds and validates a spec file. */
  public static ExperimentSpec load(Path file, List<String> overrides) throws SpecException {
    JsonNode tree;
    try {
      tree = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new SpecException("spec: file not found: " + file);
    } catch (JsonProcessingException e) {
      throw new SpecException("spec: " + file + " is not valid YAML: " + e.getOriginalMessage()
          + location(e));
    } catch (IOException e) {
      throw new SpecException("spec: cannot read " + file + ": " + e.getMessage());
    }
    return fromTree(tree, overrides);
  }

  /** Binds spec text (YAML or JSON) with overrides; for tests and tools. */
  public static ExperimentSpec parse(String yaml, List<String> overrides) throws SpecException {
    try {
      return fromTree(YAML.readTree(yaml), overrides);
    } catch (JsonProcessingException e) {
      throw new SpecException("spec: not valid YAML: " + e.getOriginalMessage() + location(e));
    }
  }

  private static ExperimentSpec fromTree(JsonNode tree, List<String> overrides) throws SpecException {
    ObjectNode root;
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      root = JsonNodeFactory.instance.objectNode();
    } else if (tree.isObject()) {
      root = (ObjectNode) tree;
    } else {
      throw new SpecException("spec: expected a mapping of fields at the top level, got " + tree.getNodeType());
    }
    List<String> problems = new ArrayList<>();
    for (String override : overrides) {
      String problem = applyOverride(root, override);
      if (problem != null) {
        problems.add(problem);
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    ExperimentSpec spec;
    try {
      spec = YAML.treeToValue(root, ExperimentSpec.class);
    } catch (JsonProcessingException e) {
      throw new SpecException(describeBindingError(e));
    } catch (IllegalArgumentException e) {
      throw new SpecException("spec: " + e.getMessage());
    }
    SpecErrors errors = new SpecErrors();
    spec.validate(errors);
    if (!errors.isEmpty()) {
      throw new SpecException(errors.messages());
    }
    return spec;
  }

  /** Applies one {@code dotted.path=value}; returns a problem description or null. */
  static String applyOverride(ObjectNode root, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      return "--set " + override + ": expected path=value, e.g. population.size=1000";
    }
    String path = override.substring(0, eq).trim();
    String text = override.substring(eq + 1);
    String[] parts = path.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      if (parts[i].isEmpty()) {
        return "--set " + path + ": empty path segment";
      }
      JsonNode child = node.get(parts[i]);
      if (child == null || child.isNull()) {
        child = node.putObject(parts[i]);
      } else if (!child.isObject()) {
        return "--set " + path + ": " + String.join(".", List.of(parts).subList(0, i + 1))
            + " is a value, not a group of fields";
      }
      node = (ObjectNode) child;
    }
    JsonNode value;
    try {
      value = text.isEmpty() ? JsonNodeFactory.instance.nullNode() : YAML.readTree(text);
    } catch (JsonProcessingException e) {
      return "--set " + path + ": cannot read value '" + text + "': " + e.getOriginalMessage();
    }
    node.set(parts[parts.length - 1], value == null || value.isMissingNode()
        ? JsonNodeFactory.instance.nullNode() : value);
    return null;
  }

  private static String describeBindingError(JsonProcessingException e) {
    String path = e instanceof JsonMappingException jme ? pathOf(jme) : "spec";
    if (e instanceof UnrecognizedPropertyException upe) {
      String known = upe.getKnownPropertyIds() == null ? "" : upe.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", ", " (known fields: ", ")"));
      return path + ": unknown field" + known;
    }
    if (e instanceof InvalidFormatException ife) {
      return path + ": expected " + describeType(ife.getTargetType()) + ", got '" + ife.getValue() + "'";
    }
    if (e instanceof MismatchedInputException mie) {
      return path + ": expected " + describeType(mie.getTargetType());
    }
    return path + ": " + e.getOriginalMessage();
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "spec" : sb.toString();
  }

  private static String describeType(Class<?> type) {
    if (type == null) {
      return "a different kind of value";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a group of fields";
    }
    return "a " + type.getSimpleName();
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }

  /**
   * Quotes, besides YAML's reserved words, every text value that YAML would read back as a
   * number ({@code 1}, {@code 0x10}, {@code 1e3}, {@code .5}), so that a name such as '1' survives
   * {@link #toYaml} and a second parse.
   */
  private static final class TextStaysText extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || looksLikeYAMLNumber(value);
    }
  }

  /** The resolved spec as YAML, as written to a run directory's {@code spec.yaml}. */
  public static String toYaml(ExperimentSpec spec) {
    try {
      return YAML.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write spec", e);
    }
  }
}
