package dev.norma.protocols.spec;

/**
 * What a spec submitted to a cluster node may ask of that node. A node runs specs written by
 * other people, so nothing in them may choose which of the node's secrets or files is read, or
 * where a key is sent: keys are named credentials the operator configured, endpoint URLs and
 * paths must fall within what the operator allowed. Validation asks these rules about a path
 * before it looks at the path, so that a refused spec learns nothing of the node's files.
 *
 * <p>A submitted spec never names an API key's file or variable ({@code apiKeyFile},
 * {@code apiKeyEnv}): validation with any rules refuses those fields.
 */
public interface SubmissionRules {
  /** What a client checks before it submits: only the fields no node accepts; the node checks the rest. */
  SubmissionRules CLIENT = new SubmissionRules() {
    @Override
    public String urlProblem(String url) {
      return null;
    }

    @Override
    public String credentialProblem(String name) {
      return null;
    }

    @Override
    public String pathProblem(String path, boolean directory) {
      return null;
    }
  };

  /** Why the node will not call an endpoint at {@code url}, or null when it may. */
  String urlProblem(String url);

  /** Why the node cannot give the credential {@code name}, or null when it has it. */
  String credentialProblem(String name);

  /**
   * Why the node will not read {@code path} (a file, or with {@code directory} a directory and
   * what it holds), or null when it may. Never says anything about a path the node would not read.
   */
  String pathProblem(String path, boolean directory);
}
