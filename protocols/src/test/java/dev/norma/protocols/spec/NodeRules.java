package dev.norma.protocols.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's rules as the spec tests set them: one URL ({@code http://allowed/...}), one credential
 * ({@code hosted}), no file; it records which paths it was asked about.
 */
final class NodeRules implements SubmissionRules {
  final List<String> asked = new ArrayList<>();

  @Override
  public String urlProblem(String url) {
    return url.startsWith("http://allowed/") ? null : "not on this node's list";
  }

  @Override
  public String credentialProblem(String name) {
    return "hosted".equals(name) ? null : "no credential " + name + " on this node";
  }

  @Override
  public String pathProblem(String path, boolean directory) {
    asked.add(path);
    return "outside the allowed directories";
  }
}
