package dev.norma.protocols.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The llm policy, its endpoints and budget: defaults, binding, validation with field paths. */
class LlmSpecTest {
  private static final String LLM = """
      name: llm
      game: {names: [Q, M]}
      policy:
        kind: llm
        llm: {temperature: 0.5, topK: 10, maxTokens: 15, seed: 7, constrained: choice}
      inference:
        endpoints:
          - name: local
            url: http://127.0.0.1:8000/v1
            model: llama-3-70b
            apiKeyEnv: LOCAL_KEY
            acceptsTopK: true
          - {name: batch, url: 'https://api.example.org/v1', kind: completions, model: m, batchSize: 16,
             apiKeyFile: /run/secrets/key, requestsPerMinute: 600, tokensPerMinute: 100000, timeout: 30}
        budget: {maxCalls: 10000, maxCost: 5.0}
      """;

  @Test
  void bindsTheLlmPolicyAndItsEndpoints() {
    ExperimentSpec spec = Specs.parse(LLM);
    assertThat(spec.policy().kind()).isEqualTo(PolicySpec.LLM);
    LlmPolicySpec llm = spec.policy().llm();
    assertThat(llm.temperature()).isEqualTo(0.5);
    assertThat(llm.topK()).isEqualTo(10);
    assertThat(llm.topP()).isNull();
    assertThat(llm.maxTokens()).isEqualTo(15);
    assertThat(llm.seed()).isEqualTo(7L);
    assertThat(llm.parseRetries()).isEqualTo(3);
    assertThat(llm.constrained()).isEqualTo(LlmPolicySpec.CHOICE);
    assertThat(llm.horizon()).isEqualTo(100);
    List<EndpointSpec> endpoints = spec.inference().endpoints();
    assertThat(endpoints).hasSize(2);
    EndpointSpec local = endpoints.get(0);
    assertThat(local.kind()).isEqualTo(EndpointSpec.CHAT);
    assertThat(local.maxInFlight()).isEqualTo(64);
    assertThat(local.batchSize()).isEqualTo(1);
    assertThat(local.timeout()).isEqualTo(60.0);
    assertThat(local.acceptsTopK()).isTrue();
    EndpointSpec batch = endpoints.get(1);
    assertThat(batch.kind()).isEqualTo(EndpointSpec.COMPLETIONS);
    assertThat(batch.batchSize()).isEqualTo(16);
    assertThat(batch.acceptsTopK()).isFalse();
    assertThat(spec.inference().budget()).isEqualTo(new BudgetSpec(10_000L, null, 5.0));
  }

  @Test
  void theLlmSpecSurvivesTheYamlRoundTrip() throws Exception {
    ExperimentSpec spec = Specs.parse(LLM).resolved();
    assertThat(SpecLoader.parse(SpecLoader.toYaml(spec), List.of())).isEqualTo(spec);
  }

  @Test
  void withoutAnLlmPolicyNoEndpointIsNeeded() {
    ExperimentSpec spec = Specs.parse("name: x\n");
    assertThat(spec.inference().endpoints()).isEmpty();
    assertThat(spec.inference().budget().limited()).isFalse();
    assertThat(spec.policy().llm()).isEqualTo(LlmPolicySpec.defaults());
  }

  @Test
  void anLlmPolicyNeedsAnEndpointAndTheNamingGame() {
    assertThat(Specs.problems("policy: {kind: llm}\n"))
        .containsExactly("inference.endpoints: expected at least one endpoint: policy.kind llm asks a language model");
    assertThat(Specs.problems(LLM, "game.kind=minimal-naming", "game.names="))
        .anyMatch(p -> p.startsWith("policy.kind: the llm policy plays the naming game only"));
  }

  @Test
  void badLlmFieldsAreNamedByTheirPaths() {
    assertThat(Specs.problems(LLM, "policy.llm.temperature=3", "policy.llm.topP=0", "policy.llm.topK=0",
        "policy.llm.maxTokens=0", "policy.llm.parseRetries=-1", "policy.llm.constrained=regex",
        "policy.llm.templates=/no/such/dir", "policy.llm.horizon=0")).containsExactly(
        "policy.llm.temperature: expected 0..2, got 3.0",
        "policy.llm.topP: expected a probability mass in (0, 1], got 0.0",
        "policy.llm.topK: expected at least 1, got 0",
        "policy.llm.maxTokens: expected 1..1000000 tokens, got 0",
        "policy.llm.parseRetries: expected 0..100, got -1",
        "policy.llm.constrained: expected one of [none, choice, json], got 'regex'",
        "policy.llm.templates: expected a directory of prompt templates, got '/no/such/dir'",
        "policy.llm.horizon: expected 1..1000000 rounds, got 0");
  }

  @Test
  void badEndpointsAreNamedByTheirIndex() {
    String yaml = """
        policy: {kind: llm}
        inference:
          endpoints:
            - {name: 'a b', url: 'ftp://x/v1', kind: grpc, apiKeyEnv: '1KEY', apiKeyFile: k, maxInFlight: 0,
               requestsPerMinute: 0, tokensPerMinute: 0, timeout: 0}
            - {name: ok, url: 'http://user:secret@host/v1', model: m, batchSize: 8}
            - {name: ok, url: 'http://host/v1', model: m}
          budget: {maxCalls: 0, maxTokens: 0, maxCost: -1}
        """;
    assertThat(Specs.problems(yaml)).containsExactly(
        "inference.endpoints[0].name: expected letters, digits, '.', '_' or '-', got 'a b'",
        "inference.endpoints[0].url: expected an http or https URL with a host, got 'ftp://x/v1'",
        "inference.endpoints[0].kind: expected one of [chat, completions, local], got 'grpc'",
        "inference.endpoints[0].model: expected the model id the endpoint serves",
        "inference.endpoints[0].apiKeyFile: give either apiKeyEnv or apiKeyFile, not both",
        "inference.endpoints[0].apiKeyEnv: expected the name of an environment variable, got '1KEY'",
        "inference.endpoints[0].maxInFlight: expected 1..100000 requests, got 0",
        "inference.endpoints[0].requestsPerMinute: expected at least 1, got 0",
        "inference.endpoints[0].tokensPerMinute: expected at least 1, got 0",
        "inference.endpoints[0].timeout: expected seconds in (0, 86400], got 0.0",
        "inference.endpoints[1].url: expected no user, password, query or fragment in the URL (keys go in credential,"
            + " apiKeyEnv or apiKeyFile)",
        "inference.endpoints[1].batchSize: expected 1 for a chat endpoint (only kind: completions takes a list of prompts), got 8",
        "inference.endpoints[2].name: expected a name no other endpoint has, got 'ok' again",
        "inference.budget.maxCalls: expected at least 1, got 0",
        "inference.budget.maxTokens: expected at least 1, got 0",
        "inference.budget.maxCost: expected a positive amount, got -1.0");
  }

  @Test
  void aCredentialNamesAKeyTheMachineHolds() {
    ExperimentSpec spec = Specs.parse(LLM, "inference.endpoints=[{name: a, url: 'http://h/v1', model: m,"
        + " credential: hosted-api}]");
    assertThat(spec.inference().endpoints().get(0).credential()).isEqualTo("hosted-api");
    assertThat(EndpointSpec.credentialVariable("hosted-api")).isEqualTo("NORMA_CREDENTIAL_HOSTED_API");
    assertThat(Specs.parse(SpecLoader.toYaml(spec)).inference()).isEqualTo(spec.inference());
    assertThat(Specs.problems(LLM, "inference.endpoints=[{name: a, url: 'http://h/v1', model: m, credential: 'a/b',"
        + " apiKeyEnv: K}]")).containsExactly(
        "inference.endpoints[0].credential: give either credential or apiKeyEnv, not both",
        "inference.endpoints[0].credential: expected a credential name of up to 64 letters, digits, '_' or '-',"
            + " got 'a/b'");
  }

  @Test
  void aSubmittedSpecNamesNoKeyFileOrVariableAndOnlyWhatTheNodeAllows() {
    NodeRules rules = new NodeRules();
    assertThat(Specs.submittedProblems(rules, LLM)).containsExactly(
        "inference.endpoints[0].url: not on this node's list",
        "inference.endpoints[0].apiKeyEnv: a spec submitted to a cluster cannot name an environment variable;"
            + " name a credential the nodes hold instead (credential: NAME, from NORMA_CREDENTIAL_NAME or the nodes'"
            + " secrets directory)",
        "inference.endpoints[1].url: not on this node's list",
        "inference.endpoints[1].apiKeyFile: a spec submitted to a cluster cannot name a key file; name a credential"
            + " the nodes hold instead (credential: NAME, from NORMA_CREDENTIAL_NAME or the nodes' secrets directory)");
    assertThat(Specs.submittedProblems(rules, LLM, "inference.endpoints=[{name: a, url: 'http://allowed/v1', model: m,"
        + " credential: other}]", "policy.llm.templates=/etc")).containsExactly(
        "policy.llm.templates: outside the allowed directories",
        "inference.endpoints[0].credential: no credential other on this node");
    // The rules are asked before the path is looked at: a refused spec learns nothing of the node's files.
    assertThat(Specs.submittedProblems(rules, LLM, "inference.endpoints=[{name: l, kind: local,"
        + " model: /no/such/model.gguf}]")).containsExactly("inference.endpoints[0].model: outside the allowed directories");
    assertThat(rules.asked).contains("/etc", "/no/such/model.gguf");
    Specs.parse(LLM, "inference.endpoints=[{name: a, url: 'http://allowed/v1', model: m, credential: hosted}]");
    try {
      SpecLoader.parse(LLM, List.of("inference.endpoints=[{name: a, url: 'http://allowed/v1', model: m,"
          + " credential: hosted}]"), rules);
    } catch (SpecException e) {
      throw new AssertionError(e.getMessage());
    }
  }

  @Test
  void aKeyWrittenIntoTheSpecIsAnUnknownFieldNamedByItsPath() {
    assertThat(Specs.problems(LLM, "inference.endpoints=[{name: a, url: 'http://h/v1', model: m, apiKey: sk-123}]"))
        .singleElement().asString()
        .startsWith("inference.endpoints[0].apiKey: unknown field (known fields: acceptsTopK, apiKeyEnv, apiKeyFile,")
        .doesNotContain("sk-123");
  }

  @Test
  void aLocalEndpointNeedsOnlyItsModelFileAndDefaultsToOneSequence(@TempDir Path temp) throws Exception {
    Path model = Files.write(temp.resolve("tiny.gguf"), new byte[] {1});
    ExperimentSpec spec = Specs.parse(LLM, "inference.endpoints=[{name: laptop, kind: local, model: '" + model + "'}]");

    EndpointSpec local = spec.inference().endpoints().get(0);
    assertThat(local.local()).isTrue();
    assertThat(local.url()).isNull();
    assertThat(local.maxInFlight()).isEqualTo(1);
    assertThat(local.contextSize()).isEqualTo(4096);
    assertThat(local.threads()).isNull();
    assertThat(local.acceptsTopK()).isTrue();
    assertThat(SpecLoader.parse(SpecLoader.toYaml(spec.resolved()), List.of())).isEqualTo(spec.resolved());
    // A server's endpoint states none of the in-process fields.
    EndpointSpec server = Specs.parse(LLM).inference().endpoints().get(0);
    assertThat(server.contextSize()).isNull();
    assertThat(server.maxInFlight()).isEqualTo(64);
  }

  @Test
  void aLocalEndpointRefusesAMissingFileAndTheFieldsOfAServer(@TempDir Path temp) throws Exception {
    Path model = Files.write(temp.resolve("tiny.gguf"), new byte[] {1});
    String missing = temp.resolve("models/absent.gguf").toString();
    assertThat(Specs.problems(LLM, "inference.endpoints=[{name: a, kind: local, model: '" + missing + "'},"
        + " {name: b, kind: local, model: '" + model + "', url: 'http://h/v1', apiKeyEnv: KEY, requestsPerMinute: 60,"
        + " batchSize: 2, maxInFlight: 65, threads: 0, contextSize: 10},"
        + " {name: c, kind: local}, {name: d, url: 'http://h/v1', model: m, threads: 4}]")).containsExactly(
        "inference.endpoints[0].model: expected an existing GGUF model file, got '" + missing
            + "' (no such file; download one and give its path, relative to the working directory)",
        "inference.endpoints[1].url: expected no url for kind: local (the model runs in this process),"
            + " got 'http://h/v1'",
        "inference.endpoints[1].apiKeyEnv: expected no API key for kind: local",
        "inference.endpoints[1].requestsPerMinute: expected no rate limit for kind: local (maxInFlight bounds it)",
        "inference.endpoints[1].maxInFlight: expected 1..64 sequences for kind: local, got 65",
        "inference.endpoints[1].threads: expected 1..1024 threads, got 0",
        "inference.endpoints[1].contextSize: expected 64..1048576 tokens, got 10",
        "inference.endpoints[1].batchSize: expected 1 for kind: local (it decodes up to maxInFlight prompts at once"
            + " instead), got 2",
        "inference.endpoints[2].model: expected the path of a GGUF model file, e.g."
            + " models/qwen2.5-0.5b-instruct-q4_k_m.gguf",
        "inference.endpoints[3].threads: expected only with kind: local (a server sets its own)");
  }

  @Test
  void aClusterNodeKeepsItsShareOfAnEndpointsLimitsRoundedUp() {
    EndpointSpec endpoint = new EndpointSpec("e", "http://h/v1", "chat", "m", null, null, 10, 100, null, null, null,
        null, null, null);
    EndpointSpec share = endpoint.sharedAmong(3);
    assertThat(share.maxInFlight()).isEqualTo(4);
    assertThat(share.requestsPerMinute()).isEqualTo(34);
    assertThat(share.tokensPerMinute()).isNull();
    assertThat(endpoint.sharedAmong(50).maxInFlight()).isEqualTo(1);
    assertThat(share).usingRecursiveComparison().ignoringFields("maxInFlight", "requestsPerMinute")
        .isEqualTo(endpoint);
  }
}
