#!/usr/bin/env bash
# Validates every object the kustomizations render against the Kubernetes API schemas, offline:
# kubectl renders (kubectl kustomize), npm's kubernetes-models checks (installed into a temporary
# folder, nothing is left behind). Needs kubectl, node and npm, and the npm registry once.
#   k8s/validate.sh                       # the base, every overlay, and the base with each component
set -euo pipefail
cd "$(dirname "$0")"
for tool in kubectl node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "validate.sh: $tool is needed" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm install --no-save --no-audit --no-fund --loglevel=error \
  kubernetes-models@4 @kubernetes-models/prometheus-operator@4 js-yaml@4 >/dev/null)

# A component cannot be rendered alone: render the base with it.
targets=(base overlays/*/)
for component in components/*/; do
  name="$(basename "$component")"
  mkdir -p "$work/with-$name"
  cat > "$work/with-$name/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $(realpath --relative-to="$work/with-$name" base)
components:
  - $(realpath --relative-to="$work/with-$name" "$component")
YAML
  targets+=("$work/with-$name")
done

cat > "$work/validate.cjs" <<'JS'
// Reads rendered YAML on stdin; validates each object with the kubernetes-models class of its kind.
const yaml = require("js-yaml");
const path = require("path");
const root = process.argv[2];
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  let failed = 0;
  for (const object of yaml.loadAll(input)) {
    if (!object) continue;
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
    const modelPath = group === "monitoring.coreos.com"
      ? path.join(root, "node_modules/@kubernetes-models/prometheus-operator", group, version, object.kind)
      : path.join(root, "node_modules/kubernetes-models", group ?? "", version, object.kind);
    const name = `${object.kind}/${object.metadata.name}`;
    try {
      const Model = require(modelPath)[object.kind];
      new Model(object).validate();
      console.log(`  ok ${name}`);
    } catch (e) {
      failed++;
      console.log(`  INVALID ${name}: ${e.message}`);
    }
  }
  process.exit(failed ? 1 : 0);
});
JS

status=0
for target in "${targets[@]}"; do
  echo "${target#"$work/"}"
  kubectl kustomize "$target" | node "$work/validate.cjs" "$work" || status=1
done
exit $status
