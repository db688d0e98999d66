package dev.norma.protocols.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A group of a population's language-model agents with settings of their own
 * ({@code population.groups}): which agents (an id range, a count or a fraction of the
 * population), the endpoints they are answered by (and so their model), their sampling parameters
 * and a persona text. Agents in no group take the policy's settings and every endpoint.
 *
 * @param name        names the group in the call journal, {@code groups.csv} and the metrics
 * @param ids         an id range {@code FROM-TO} (both included) or one id
 * @param count       this many agents, drawn by the run's seed from those no id range holds
 * @param fraction    this share of the population (rounded to the nearest agent), drawn so
 * @param endpoints   names of {@code inference.endpoints} that answer the group; unset: all
 * @param persona     text put before the game's system text in each of the group's prompts
 * @param temperature the group's sampling temperature; unset: {@code policy.llm.temperature}
 * @param topP        the group's nucleus mass; unset: {@code policy.llm.topP}
 * @param topK        the group's top-k; unset: {@code policy.llm.topK}
 * @param maxTokens   the group's answer length cap; unset: {@code policy.llm.maxTokens}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "ids", "count", "fraction", "endpoints", "persona", "temperature", "topP", "topK",
    "maxTokens"})
public record GroupSpec(String name, @JsonDeserialize(using = GroupSpec.Ids.class) String ids, Integer count, Double fraction, List<String> endpoints,
                        String persona, Double temperature, Double topP, Integer topK, Integer maxTokens) {
  private static final Pattern RANGE = Pattern.compile("(\\d{1,9})(?:\\s*-\\s*(\\d{1,9}))?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public GroupSpec {
    endpoints = endpoints == null ? null : List.copyOf(endpoints);
  }

  /** The first and last id of {@link #ids}, or null when it is unset or not a range. */
  public int[] idRange() {
    if (ids == null) {
      return null;
    }
    Matcher m = RANGE.matcher(ids.strip());
    if (!m.matches()) {
      return null;
    }
    int from = Integer.parseInt(m.group(1));
    return new int[] {from, m.group(2) == null ? from : Integer.parseInt(m.group(2))};
  }

  /** How many agents the group takes from a population of {@code size} (a valid spec's). */
  public int size(int size) {
    if (ids != null) {
      int[] range = idRange();
      return range[1] - range[0] + 1;
    }
    return count != null ? count : (int) Math.round(fraction * size);
  }

  void validate(SpecErrors errors, ExperimentSpec spec) {
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add("name", "expected a name of letters, digits, '_', '.' or '-' (at most 64, not starting with"
          + " '_', '.' or '-'), got " + (name == null ? "nothing" : "'" + name + "'"));
    }
    int given = (ids != null ? 1 : 0) + (count != null ? 1 : 0) + (fraction != null ? 1 : 0);
    int size = spec.population().size();
    if (given != 1) {
      errors.add("ids", "expected exactly one of ids, count and fraction, got " + given);
    } else if (ids != null) {
      int[] range = idRange();
      if (range == null) {
        errors.add("ids", "expected an id or a range FROM-TO, got '" + ids + "'");
      } else if (range[0] > range[1] || range[1] >= size) {
        errors.add("ids", "expected ids from 0 to " + (size - 1) + ", the first no larger than the last, got '"
            + ids + "'");
      }
    } else if (count != null && (count < 1 || count > size)) {
      errors.add("count", "expected 1.." + size + " agents, got " + count);
    } else if (fraction != null && (fraction.isNaN() || fraction <= 0 || fraction > 1)) {
      errors.add("fraction", "expected a share in (0, 1], got " + fraction);
    }
    if (endpoints != null) {
      List<String> known = spec.inference().endpoints().stream().map(EndpointSpec::name).toList();
      if (endpoints.isEmpty()) {
        errors.add("endpoints", "expected at least one of " + known + ", or no endpoints field for all of them");
      }
      for (int i = 0; i < endpoints.size(); i++) {
        if (!known.contains(endpoints.get(i))) {
          errors.add("endpoints[" + i + "]", "expected a name of inference.endpoints " + known + ", got '"
              + endpoints.get(i) + "'");
        }
      }
    }
    if (persona != null && persona.isBlank()) {
      errors.add("persona", "expected a text, or no persona field");
    }
    LlmPolicySpec.validateSampling(errors, temperature, topP, topK, maxTokens);
  }

  /** {@code ids} as written: a range {@code FROM-TO} is text, one id a whole number, which reads as its digits. */
  static final class Ids extends StdDeserializer<String> {
    Ids() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        return parser.getText();
      }
      if (parser.currentToken() == JsonToken.VALUE_STRING) {
        return parser.getText();
      }
      return (String) context.handleUnexpectedToken(String.class, parser);
    }
  }
}
