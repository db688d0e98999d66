package dev.norma.protocols.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

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
        // 'population:' with nothing after it (say, its fields commented out) means unset, as in
        // YAML itself; a quoted '' stays an empty text.
        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
        // Only true and false are booleans (as in YAML 1.2): yes, no, on and off are words, and
        // may be names in a pool.
        .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
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
    // Nor is true a name, nor 1 a boolean.
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
    mapper.setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    return mapper;
  }

  /** Loads, overrides, binds and validates a spec file. */
  public static ExperimentSpec load(Path file, List<String> overrides) throws SpecException {
    return load(file, overrides, null);
  }

  /**
   * Loads a spec file that is to be submitted to a cluster: validated also against {@code rules}
   * (null: none, the spec's author runs it).
   */
  public static ExperimentSpec load(Path file, List<String> overrides, SubmissionRules rules) throws SpecException {
    JsonNode tree;
    try {
      tree = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new SpecException("spec: file not found: " + file);
    } catch (JsonProcessingException e) {
      throw new SpecException(readProblem(e, file.toString()));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new SpecException("spec: " + file + " is not a text file (not UTF-8); a spec is YAML text");
    } catch (IOException e) {
      throw new SpecException("spec: cannot read " + file + ": " + e.getMessage());
    }
    anchorToSpecFile(tree, file);
    return fromTree(tree, overrides, rules);
  }

  /**
   * Makes a relative {@code topology.file} written in the spec file relative to that file's
   * directory (as a researcher keeps a network beside its spec), so that the run directory's
   * {@code spec.yaml} names the same file from anywhere. A path given by {@code --set} stays
   * relative to the working directory, as paths on a command line are. The same for a
   * {@code rewire} intervention's {@code topology.file}.
   */
  private static void anchorToSpecFile(JsonNode tree, Path specFile) {
    if (tree == null) {
      return;
    }
    anchorFile(tree.get("topology"), specFile);
    // A rewire intervention's network too.
    if (tree.get("interventions") instanceof com.fasterxml.jackson.databind.node.ArrayNode items) {
      items.forEach(item -> anchorFile(item.get("topology"), specFile));
    }
  }

  private static void anchorFile(JsonNode node, Path specFile) {
    if (node instanceof ObjectNode topology
        && topology.get("file") != null && topology.get("file").isTextual()) {
      String file = topology.get("file").textValue();
      try {
        Path path = Path.of(file);
        if (!file.isBlank() && !path.isAbsolute()) {
          Path directory = specFile.toAbsolutePath().getParent();
          topology.put("file", directory.resolve(path).normalize().toString());
        }
      } catch (java.nio.file.InvalidPathException e) {
        // Left as written: validation reports it.
      }
    }
  }

  /** Binds spec text (YAML or JSON) with overrides; for tests and tools. */
  public static ExperimentSpec parse(String yaml, List<String> overrides) throws SpecException {
    return parse(yaml, overrides, null);
  }

  /**
   * Binds spec text submitted to a node: validated also against what the node allows
   * ({@code rules}; null: none).
   */
  public static ExperimentSpec parse(String yaml, List<String> overrides, SubmissionRules rules)
      throws SpecException {
    try {
      return fromTree(YAML.readTree(yaml), overrides, rules);
    } catch (JsonProcessingException e) {
      throw new SpecException(readProblem(e, null));
    }
  }

  /** Text that YAML cannot read: a duplicate key is named by its path, anything else by line. */
  private static String readProblem(JsonProcessingException e, String file) {
    String message = e.getOriginalMessage();
    if (message != null && message.startsWith("Duplicate field")
        && e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
      String where = file == null ? location(e)
          : " (" + file + (e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr()) + ")";
      return pathOf(parser.getParsingContext()) + ": duplicate key, given more than once" + where;
    }
    if (message != null && message.startsWith("Malformed numeric value")
        && e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
      // YAML's .nan and .inf: no field of a spec takes them, and the field is what the reader needs.
      String where = file == null ? location(e)
          : " (" + file + (e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr()) + ")";
      return pathOf(parser.getParsingContext()) + ": expected a finite number, got "
          + message.substring(message.indexOf('\'')).split(" ")[0] + where;
    }
    return "spec: " + (file == null ? "" : file + " is ") + "not valid YAML" + syntaxProblem(e);
  }

  /**
   * The YAML parser's complaint on one line, so that problems stay one per line: where, what,
   * and (in parentheses) what it was parsing from where.
   */
  private static String syntaxProblem(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
      String context = marked.getContext() == null ? ""
          : " (" + marked.getContext() + (marked.getContextMark() == null ? "" : " from " + at(marked.getContextMark())) + ")";
      return (marked.getProblemMark() == null ? "" : " at " + at(marked.getProblemMark())) + ": "
          + oneLine(marked.getProblem()) + oneLine(context);
    }
    String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().strip();
    return ": " + oneLine(message.lines().findFirst().orElse(message)) + location(e);
  }

  private static String at(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static String oneLine(String text) {
    return text.replace('\n', ' ');
  }

  private static ExperimentSpec fromTree(JsonNode tree, List<String> overrides, SubmissionRules rules)
      throws SpecException {
    ObjectNode root;
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      root = JsonNodeFactory.instance.objectNode();
    } else if (tree.isObject()) {
      root = (ObjectNode) tree;
    } else {
      throw new SpecException("spec: expected a mapping of fields at the top level, got "
          + describeValue(tree, null));
    }
    List<String> problems = new ArrayList<>();
    List<String> overridden = new ArrayList<>();
    for (String override : overrides) {
      String problem = applyOverride(root, override, overridden);
      if (problem != null) {
        problems.add(problem);
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    clearReplacedAlternatives(root, overridden);
    // Every unknown field is reported; binding then stops at the first value of the wrong type.
    List<String> bindingProblems = new ArrayList<>();
    findUnknownFields(root, ExperimentSpec.class, "", bindingProblems);
    ExperimentSpec spec;
    try {
      spec = bindingProblems.isEmpty() ? YAML.treeToValue(root, ExperimentSpec.class)
          : YAML.readerFor(ExperimentSpec.class)
              .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readValue(root);
    } catch (JsonProcessingException e) {
      bindingProblems.add(describeBindingError(e, root));
      throw new SpecException(bindingProblems);
    } catch (IOException | IllegalArgumentException e) {
      bindingProblems.add("spec: " + e.getMessage());
      throw new SpecException(bindingProblems);
    }
    if (!bindingProblems.isEmpty()) {
      throw new SpecException(bindingProblems);
    }
    SpecErrors errors = new SpecErrors(rules);
    spec.validate(errors);
    if (!errors.isEmpty()) {
      throw new SpecException(errors.messages());
    }
    return spec;
  }

  /**
   * Fields that exclude each other: where the overrides give one of them (not null) and not the
   * others, the others are cleared from the file's values, so that {@code --set committed.count=6}
   * replaces a fraction the file gives instead of clashing with it. Both given in the file, or
   * both by overrides, stays an error of validation.
   */
  private static final List<List<String>> ALTERNATIVES = List.of(
      List.of("committed.count", "committed.fraction"),
      List.of("game.names", "game.poolSize"));

  /** Clears, for each set of {@link #ALTERNATIVES}, the members the overrides left out when they gave one. */
  private static void clearReplacedAlternatives(ObjectNode root, Collection<String> overridden) {
    for (List<String> alternatives : ALTERNATIVES) {
      List<String> given = alternatives.stream()
          .filter(path -> overridden.contains(path) && !valueAt(root, path).isNull())
          .toList();
      if (given.size() != 1) {
        continue;
      }
      for (String path : alternatives) {
        int dot = path.lastIndexOf('.');
        if (!overridden.contains(path) && valueAt(root, path.substring(0, dot)) instanceof ObjectNode group) {
          group.remove(path.substring(dot + 1));
        }
      }
    }
  }

  /** The node at a dotted path of groups, null-valued where any part is absent. */
  private static JsonNode valueAt(JsonNode root, String dottedPath) {
    JsonNode node = root;
    for (String field : dottedPath.split("\\.")) {
      node = node.path(field);
    }
    return node.isMissingNode() ? JsonNodeFactory.instance.nullNode() : node;
  }

  /** One step of an override's path: a field (or map key) by name, or an element of a list by index. */
  private record Step(String field, int index) {
    boolean isIndex() {
      return field == null;
    }

    void appendTo(StringBuilder path) {
      appendSegment(path, field, index);
    }
  }

  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");
  private static final Pattern PATH_PART =
      Pattern.compile("([^\\[\\]]*)((?:\\[\\d{1,9}\\])*)");

  /**
   * The steps of an override's path, {@code inference.endpoints[0].url} or
   * {@code inference.endpoints.0.url}; a bare number stays a name here (a map's key may be one)
   * and becomes an index where the path reaches a list. Null when the path is malformed.
   */
  private static List<Step> steps(String path) {
    List<Step> steps = new ArrayList<>();
    for (String part : path.split("\\.", -1)) {
      Matcher m = PATH_PART.matcher(part);
      if (part.isEmpty() || !m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
        return null;
      }
      if (!m.group(1).isEmpty()) {
        steps.add(new Step(m.group(1), -1));
      } else if (steps.isEmpty()) {
        return null; // the spec itself is no list
      }
      Matcher index = INDEX.matcher(m.group(2));
      while (index.find()) {
        steps.add(new Step(null, Integer.parseInt(index.group(1))));
      }
    }
    return steps;
  }

  /** Applies one {@code dotted.path=value}; returns a problem description or null. */
  static String applyOverride(ObjectNode root, String override) {
    return applyOverride(root, override, new ArrayList<>());
  }

  /**
   * Applies one {@code dotted.path=value}, with list elements by index ({@code endpoints[0].url}
   * or {@code endpoints.0.url}); adds the path, written with brackets, to {@code applied}.
   * Returns a problem description or null.
   */
  private static String applyOverride(ObjectNode root, String override, Collection<String> applied) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      return "--set " + override + ": expected path=value, e.g. population.size=1000";
    }
    String path = override.substring(0, eq).trim();
    String text = override.substring(eq + 1);
    List<Step> steps = steps(path);
    if (steps == null) {
      return "--set " + override + (path.contains("[") || path.contains("]")
          ? ": expected an index in brackets after a field, e.g. inference.endpoints[0].url=..."
          : ": empty path segment, expected e.g. population.size=1000");
    }
    JsonNode value;
    try {
      value = text.isEmpty() ? JsonNodeFactory.instance.nullNode() : YAML.readTree(text);
    } catch (JsonProcessingException e) {
      if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Malformed numeric value")) {
        return "--set " + path + ": expected a finite number, got '" + text + "'"; // .nan, .inf
      }
      return "--set " + path + ": cannot read value '" + text + "' as YAML" + syntaxProblem(e);
    }
    // The record type (as declared, with its type arguments) and the tree node of each step's
    // container; the type is null below an unknown field, which binding reports.
    Type type = ExperimentSpec.class;
    JsonNode container = root;
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      boolean list = type != null ? List.class.isAssignableFrom(rawClass(type)) : container.isArray();
      if (list && !step.isIndex() && step.field().matches("\\d{1,9}")) {
        step = new Step(null, Integer.parseInt(step.field()));
      }
      if (step.isIndex() && !list) {
        return "--set " + path + ": " + shown + " is not a list";
      }
      if (!step.isIndex() && list) {
        return "--set " + path + ": " + shown + " is a list; give an element's index, e.g. " + shown + "[0]";
      }
      if (step.isIndex() && step.index() >= container.size()) {
        return "--set " + path + ": " + shown + " has " + (container.size() == 0 ? "no entries"
            : container.size() + (container.size() == 1 ? " entry (index 0)" : " entries (indices 0.."
            + (container.size() - 1) + ")")) + ", so there is no " + shown + "[" + step.index() + "];"
            + " set the whole list to add one, e.g. " + shown + "=[{...}, {...}]";
      }
      step.appendTo(shown);
      Type childType = type == null ? null
          : step.isIndex() ? typeArgument(type, 0) : fieldType(type, step.field());
      if (i == steps.size() - 1) {
        JsonNode leaf = value == null || value.isMissingNode() ? JsonNodeFactory.instance.nullNode() : value;
        if (step.isIndex()) {
          ((ArrayNode) container).set(step.index(), leaf);
        } else {
          ((ObjectNode) container).set(step.field(), leaf);
        }
        applied.add(shown.toString());
        return null;
      }
      // A field that holds a value cannot take a sub-field, whether or not the file sets it.
      Class<?> raw = childType == null ? null : rawClass(childType);
      if (raw != null && !raw.isRecord() && !Map.class.isAssignableFrom(raw) && !List.class.isAssignableFrom(raw)) {
        return "--set " + path + ": " + shown + " is a value, not a group of fields";
      }
      JsonNode child = step.isIndex() ? container.get(step.index()) : container.get(step.field());
      boolean wantsList = raw != null ? List.class.isAssignableFrom(raw) : steps.get(i + 1).isIndex();
      if (child == null || child.isNull()) {
        if (wantsList) {
          // An absent list has no element to change: the next step reports it (never added to the file).
          child = JsonNodeFactory.instance.arrayNode();
        } else if (step.isIndex()) {
          child = ((ArrayNode) container).objectNode();
          ((ArrayNode) container).set(step.index(), child);
        } else {
          child = ((ObjectNode) container).putObject(step.field());
        }
      } else if (wantsList ? !child.isArray() : !child.isObject()) {
        return "--set " + path + ": " + shown + (child.isArray() ? " is a list, not a group of fields"
            : wantsList ? " is not a list" : " is a value, not a group of fields");
      }
      type = childType;
      container = child;
    }
    throw new IllegalStateException("unreachable: a path has at least one step");
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    return Object.class;
  }

  /** The n-th type argument of a declared generic type (a list's element), or null if unknown. */
  private static Type typeArgument(Type type, int n) {
    return type instanceof ParameterizedType p ? p.getActualTypeArguments()[n] : null;
  }

  /**
   * Adds every key that names no field of the record it binds to, with its path and the fields
   * known there. Jackson would stop at the first one, or skip the rest of an object whose later
   * field has the wrong type; typos tend to come in groups and are best reported together.
   */
  private static void findUnknownFields(JsonNode node, Class<?> type, String path, List<String> problems) {
    if (!type.isRecord() || !node.isObject()) {
      return; // a value of the wrong kind is reported by binding
    }
    Map<String, RecordComponent> fields = new LinkedHashMap<>();
    for (RecordComponent component : type.getRecordComponents()) {
      fields.put(component.getName(), component);
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      RecordComponent field = fields.get(entry.getKey());
      if (field == null) {
        problems.add(path + entry.getKey() + ": unknown field" + knownFields(fields.keySet()));
      } else if (List.class.isAssignableFrom(field.getType()) && entry.getValue().isArray()) {
        // A list of groups (inference.endpoints): each element is checked like a group.
        Class<?> element = listElementType(field);
        for (int i = 0; element != null && i < entry.getValue().size(); i++) {
          findUnknownFields(entry.getValue().get(i), element, path + entry.getKey() + "[" + i + "].", problems);
        }
      } else {
        findUnknownFields(entry.getValue(), field.getType(), path + entry.getKey() + ".", problems);
      }
    }
  }

  /** The record type of a list field's elements, or null when they are not records. */
  private static Class<?> listElementType(RecordComponent field) {
    if (field.getGenericType() instanceof ParameterizedType list
        && list.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
      return element;
    }
    return null;
  }

  private static String knownFields(Collection<?> known) {
    return known == null || known.isEmpty() ? "" : known.stream().map(Object::toString).sorted()
        .collect(Collectors.joining(", ", " (known fields: ", ")"));
  }

  /**
   * The type bound at {@code field} of a record (as declared, with its type arguments),
   * {@code Object} for an entry of a map (a value here: bias weights), or null for an unknown
   * field, which binding reports.
   */
  private static Type fieldType(Type type, String field) {
    Class<?> raw = rawClass(type);
    if (Map.class.isAssignableFrom(raw)) {
      return Object.class;
    }
    if (!raw.isRecord()) {
      return null;
    }
    for (RecordComponent component : raw.getRecordComponents()) {
      if (component.getName().equals(field)) {
        return component.getGenericType();
      }
    }
    return null;
  }

  private static String describeBindingError(JsonProcessingException e, JsonNode root) {
    if (!(e instanceof JsonMappingException mapping)) {
      return "spec: " + e.getOriginalMessage();
    }
    String path = pathOf(mapping);
    if (e instanceof UnrecognizedPropertyException upe) {
      return path + ": unknown field" + knownFields(upe.getKnownPropertyIds());
    }
    JsonNode value = nodeAt(root, mapping.getPath());
    Class<?> target = null;
    if (e instanceof MismatchedInputException mie) {
      target = mie.getTargetType();
    } else if (e.getCause() instanceof InputCoercionException ice) {
      target = ice.getTargetType();
    }
    if (target == null || value == null) {
      return path + ": " + e.getOriginalMessage();
    }
    String expected = describeType(target);
    if (value.isIntegralNumber() && (target == Integer.class || target == int.class)) {
      expected = "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
    } else if (value.isIntegralNumber() && (target == Long.class || target == long.class)) {
      expected = "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
    }
    return path + ": expected " + expected + ", got " + describeValue(value, target);
  }

  /** The value as the researcher wrote it, with a hint where YAML reads it unexpectedly. */
  private static String describeValue(JsonNode value, Class<?> target) {
    if (value.isTextual()) {
      return "the text '" + value.textValue() + "'";
    }
    if (value.isBoolean() && target == String.class) {
      return value.asText() + " (quote it, '" + value.asText() + "', to use the word as text)";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isObject()) {
      return "a group of fields";
    }
    return value.asText();
  }

  /** The node a binding error points at, or null if the path cannot be followed. */
  private static JsonNode nodeAt(JsonNode root, List<JsonMappingException.Reference> path) {
    JsonNode node = root;
    for (JsonMappingException.Reference ref : path) {
      if (node == null) {
        return null;
      }
      node = ref.getFieldName() != null ? node.get(ref.getFieldName())
          : ref.getIndex() >= 0 ? node.get(ref.getIndex()) : null;
    }
    return node;
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      appendSegment(sb, ref.getFieldName(), ref.getIndex());
    }
    return sb.length() == 0 ? "spec" : sb.toString();
  }

  /** The dotted path of a parser context: the field it is at, inside its enclosing groups. */
  private static String pathOf(JsonStreamContext context) {
    List<JsonStreamContext> chain = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      chain.add(0, c);
    }
    StringBuilder sb = new StringBuilder();
    for (JsonStreamContext c : chain) {
      if (c.inObject() && c.getCurrentName() != null) {
        appendSegment(sb, c.getCurrentName(), -1);
      } else if (c.inArray()) {
        appendSegment(sb, null, c.getCurrentIndex());
      }
    }
    return sb.length() == 0 ? "spec" : sb.toString();
  }

  private static void appendSegment(StringBuilder sb, String field, int index) {
    if (field != null) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(field);
    } else if (index >= 0) {
      sb.append('[').append(index).append(']');
    }
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
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
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

  /**
   * The spec as YAML, as written to a run directory's {@code spec.yaml}; give it
   * {@link ExperimentSpec#resolved()} so that the file states every derived default. Unset fields
   * are left out, and {@link #parse} reads the text back to an equal spec.
   */
  public static String toYaml(ExperimentSpec spec) {
    try {
      return YAML.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write spec", e);
    }
  }
}
