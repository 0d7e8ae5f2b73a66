#!/usr/bin/env bash
# Prints a patch for Argo CD's argocd-cm ConfigMap that registers the Whetstone health checks and actions from
# resource_customizations/ (the files stay the single source; this only indents them into Argo CD's keys).
#   ./argocd/argocd-cm-patch.sh > whetstone-argocd-cm.yaml
#   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file whetstone-argocd-cm.yaml
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/resource_customizations/whetstone.dev"
indent() { sed "s/^/$1/"; }
echo "data:"
for dir in "$root"/*/; do
  kind="$(basename "$dir")"
  echo "  resource.customizations.health.whetstone.dev_${kind}: |"
  indent "    " < "$dir/health.lua"
  echo "  resource.customizations.actions.whetstone.dev_${kind}: |"
  echo "    discovery.lua: |"
  indent "      " < "$dir/actions/discovery.lua"
  echo "    definitions:"
  for action in "$dir"/actions/*/; do
    [ -f "$action/action.lua" ] || continue
    echo "      - name: $(basename "$action")"
    echo "        action.lua: |"
    indent "          " < "$action/action.lua"
  done
done
