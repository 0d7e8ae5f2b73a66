#!/usr/bin/env bash
# The main job on the embedded default: one machine, no cluster, CPU.
# Starts `whetstone up` (API server + local node + operator), applies the CRDs and examples/finetunejob.yaml with
# kubectl, follows the FineTuneJob with a live progress line, and ends with the fine-tuned model's location and
# its before/after metrics. Everything lives under .whetstone/demo; run it again for a fresh demo.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
demo="$root/.whetstone/demo"
store="$demo/store"

bash scripts/setup.sh
echo "demo: building (Release)"
dotnet build operator/Whetstone.Cli -c Release -nologo -v:q -clp:ErrorsOnly
dotnet build worker/Whetstone.Worker -c Release -nologo -v:q -clp:ErrorsOnly
bash scripts/setup.d/20-torchsharp.sh >/dev/null

rm -rf "$demo"
mkdir -p "$store/models/tiny-llama/v1" "$store/datasets/support"
cp examples/models/tiny-llama/* "$store/models/tiny-llama/v1/"
cp examples/datasets/support-chat.jsonl "$store/datasets/support/2026-11-01.jsonl"
worker="$root/worker/Whetstone.Worker/bin/Release/net10.0/whetstone-worker"
cat > "$demo/up.json" <<JSON
{ "LocalNode": { "Images": { "whetstone-worker": { "FileName": "$worker" } } } }
JSON

echo "demo: starting the embedded cluster (log: $demo/up.log)"
dotnet operator/Whetstone.Cli/bin/Release/net10.0/whetstone.dll up --data-dir "$demo/cluster" --config "$demo/up.json" > "$demo/up.log" 2>&1 &
up=$!
trap 'kill -TERM $up 2>/dev/null; wait $up 2>/dev/null || true' EXIT
export KUBECONFIG="$demo/cluster/kubeconfig"
for _ in $(seq 1 120); do
  if [ -f "$KUBECONFIG" ] && kubectl get nodes >/dev/null 2>&1; then break; fi
  if ! kill -0 $up 2>/dev/null; then echo "demo: whetstone up exited:"; cat "$demo/up.log"; exit 1; fi
  sleep 1
done

kubectl apply -f crds/
kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null
sed "s#/var/lib/whetstone#$store#g" examples/finetunejob.yaml | kubectl apply -f -
echo
phase=""
while true; do
  line=$(kubectl get ftj support-lora -o jsonpath='{.status.phase}|{.status.progress.step}|{.status.progress.totalSteps}|{.status.metrics.trainLoss}|{.status.metrics.validationLoss}|{.status.message}')
  IFS='|' read -r phase step total loss vloss message <<<"$line"
  [ -n "$loss" ] && loss=$(printf '%.3f' "$loss")
  [ -n "$vloss" ] && vloss=$(printf '%.3f' "$vloss")
  printf '\r\033[Kftj/support-lora  %-10s step %s/%s  loss %s  val-loss %s' "${phase:-Pending}" "${step:-0}" "${total:-?}" "${loss:--}" "${vloss:--}"
  case "$phase" in Succeeded|Failed) break ;; esac
  if ! kill -0 $up 2>/dev/null; then echo; echo "demo: whetstone up exited:"; tail -20 "$demo/up.log"; exit 1; fi
  sleep 2
done
echo; echo
kubectl get ftj
echo
kubectl describe ftj support-lora | sed -n '/^Events:/,$p'
echo
if [ "$phase" != "Succeeded" ]; then
  echo "demo: the fine-tune failed: $message"
  kubectl get ftj support-lora -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
  exit 1
fi
kubectl get ftj support-lora -o json | /usr/bin/python3 scripts/ftj-summary.py
