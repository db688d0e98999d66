package dev.norma.agents.llm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A prompt template: plain text with {@code ${variable}} placeholders, nothing more. A
 * researcher edits the text; the code supplies the variables. Deliberately tiny: no
 * conditionals, loops or expressions, so a template reads exactly like the prompt it produces.
 *
 * <ul>
 *   <li>{@code ${name}} (name: a lower-case letter, then lower-case letters, digits or
 *       {@code _}) is replaced by the variable's value;</li>
 *   <li><code>$${</code> renders a literal <code>${</code>; any other {@code $} is literal;</li>
 *   <li>line endings are normalised to {@code \n} and one final line break is dropped, so a file
 *       saved by any editor renders the same.</li>
 * </ul>
 *
 * The template is parsed once; a malformed placeholder or a variable outside the allowed set is
 * an error when it is loaded, not when a study is halfway through. {@link #sha256()} identifies
 * the text for provenance.
 */
public final class PromptTemplate {
  private final String name;
  private final String text;
  private final String sha256;
  private final List<Object> parts;
  private final Set<String> variables;

  private PromptTemplate(String name, String text, Set<String> allowed) {
    this.name = name;
    this.text = normalise(text);
    this.sha256 = sha256Hex(this.text);
    List<Object> parsed = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    parse(this.text, allowed, parsed, used);
    this.parts = List.copyOf(parsed);
    this.variables = Collections.unmodifiableSet(used);
  }

  /**
   * A template from text.
   *
   * @param name    where it came from, for error messages and provenance
   * @param allowed the variables it may use
   */
  public static PromptTemplate of(String name, String text, Set<String> allowed) {
    return new PromptTemplate(name, text, allowed);
  }

  /** A template from a UTF-8 resource on the class path (absolute resource name). */
  public static PromptTemplate fromResource(String resource, Set<String> allowed) {
    try (InputStream in = PromptTemplate.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no template resource " + resource);
      }
      return new PromptTemplate("classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8),
          allowed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template resource " + resource, e);
    }
  }

  /** A template from a UTF-8 file. */
  public static PromptTemplate fromFile(Path file, Set<String> allowed) {
    try {
      return new PromptTemplate(file.toString(), Files.readString(file, StandardCharsets.UTF_8), allowed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template file " + file, e);
    }
  }

  private static String normalise(String raw) {
    String text = raw.replace("\r\n", "\n").replace('\r', '\n');
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }

  private void parse(String source, Set<String> allowed, List<Object> out, Set<String> used) {
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '$' && source.startsWith("$${", i)) {
        literal.append("${");
        i += 3;
      } else if (c == '$' && source.startsWith("${", i)) {
        int close = source.indexOf('}', i + 2);
        String variable = close < 0 ? "" : source.substring(i + 2, close);
        if (!variable.matches("[a-z][a-z0-9_]*")) {
          throw new IllegalArgumentException(name + ": malformed placeholder at line " + lineOf(source, i)
              + " (expected ${name} with a lower-case name; write $${ for a literal ${)");
        }
        if (!allowed.contains(variable)) {
          throw new IllegalArgumentException(name + ": unknown variable ${" + variable + "} at line "
              + lineOf(source, i) + "; this template may use " + new TreeSet<>(allowed));
        }
        if (literal.length() > 0) {
          out.add(literal.toString());
          literal.setLength(0);
        }
        out.add(new Variable(variable));
        used.add(variable);
        i = close + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      out.add(literal.toString());
    }
  }

  private static int lineOf(String source, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (source.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** The text with every placeholder replaced by {@code values.apply(variable)}. */
  public String render(Function<String, String> values) {
    StringBuilder out = new StringBuilder(text.length() + 64);
    for (Object part : parts) {
      if (part instanceof Variable variable) {
        String value = values.apply(variable.name());
        if (value == null) {
          throw new IllegalStateException(name + ": no value for ${" + variable.name() + "}");
        }
        out.append(value);
      } else {
        out.append((String) part);
      }
    }
    return out.toString();
  }

  public String name() {
    return name;
  }

  /** The template text as used (normalised line endings, final line break dropped). */
  public String text() {
    return text;
  }

  /** The variables this template uses, in order of first use. */
  public Set<String> variables() {
    return variables;
  }

  /** SHA-256 of {@link #text()} in UTF-8, lower-case hex. */
  public String sha256() {
    return sha256;
  }

  public static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  /** Templates are equal when their texts are, wherever they were loaded from. */
  @Override
  public boolean equals(Object other) {
    return other instanceof PromptTemplate template && template.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return name + " (sha256 " + sha256.substring(0, 12) + ")";
  }

  private record Variable(String name) {
  }
}
