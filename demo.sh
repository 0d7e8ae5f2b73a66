#!/usr/bin/env bash
# The main job on the embedded default: one machine, no cluster, CPU.
# Runs the whole pipeline in examples/pipeline/ through `whetstone up` and the real kubectl, as a user would:
#   FineTuneJob support-lora  → LoRA fine-tune of the production model (the committed tiny Llama) on support questions
#   CompressionJob support-int8 → INT8 quantization + ONNX, aligned against the fine-tuned model on its test split
#   EvaluationRun support-eval → the compressed model against the production model: domain, general ability, speed
#   ModelRollout support-bot  → the compressed model as a canary beside the production model, with live traffic and
#                               analysis on a real Prometheus, promoted or rolled back by the operator
# It prints one live line per step, then the summary of each. Everything lives under .whetstone/demo; run it again
# for a fresh demo. While it runs, in another terminal:
#   export KUBECONFIG=.whetstone/demo/cluster/kubeconfig; kubectl get ftj,cpj,evr,mro -w
# The YAML is applied unchanged except for paths (a directory here instead of /var/lib/whetstone), the Prometheus
# port, and the rollout's timing: DEMO_PAUSE (default 20s) replaces the 5-minute canary pause and DEMO_INTERVAL
# (default 10s) the 1-minute analysis interval, so the demo ends in minutes instead of an hour.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
demo="$root/.whetstone/demo"
store="$demo/store"
pause="${DEMO_PAUSE:-20s}"
interval="${DEMO_INTERVAL:-10s}"
limit_seconds="${DEMO_TIMEOUT_SECONDS:-2400}"

bash scripts/setup.sh
# The whetstone CLI of this Release build, as a person would run it.
whetstone() { dotnet "$root/operator/Whetstone.Cli/bin/Release/net10.0/whetstone.dll" "$@"; }
echo "demo: building (Release)"
dotnet build operator/Whetstone.Cli -c Release -nologo -v:q -clp:ErrorsOnly
dotnet build worker/Whetstone.Worker -c Release -nologo -v:q -clp:ErrorsOnly
bash scripts/setup.d/20-torchsharp.sh >/dev/null

rm -rf "$demo"
mkdir -p "$store/models/support-bot/1.2.0" "$store/datasets/support" "$store/benchmarks"
cp examples/models/tiny-llama/* "$store/models/support-bot/1.2.0/"
cp examples/datasets/support-multiple-choice-train.jsonl "$store/datasets/support/questions-2026-11-01-train.jsonl"
cp examples/datasets/support-multiple-choice-holdout.jsonl "$store/datasets/support/questions-2026-11-01-holdout.jsonl"
cp examples/datasets/general-mc.jsonl "$store/benchmarks/general-mc.jsonl"
worker="$root/worker/Whetstone.Worker/bin/Release/net10.0/whetstone-worker"
# The node advertises 8 CPUs (the jobs ask for 2, each serving replica for 1): the production model's two replicas
# keep serving while the jobs run, as on a bigger node; here their processes share this machine's real cores.
cat > "$demo/up.json" <<JSON
{ "LocalNode": { "Cpu": "8", "Images": { "whetstone-worker": { "FileName": "$worker" } } } }
JSON
prometheus_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

echo "demo: starting the embedded cluster with Prometheus (log: $demo/up.log)"
# Started directly (not through the function) so that $! is the server's own process, which cleanup signals.
dotnet operator/Whetstone.Cli/bin/Release/net10.0/whetstone.dll up --data-dir "$demo/cluster" --config "$demo/up.json" \
  --gateway-port 0 --prometheus --prometheus-port "$prometheus_port" > "$demo/up.log" 2>&1 &
up=$!
load=""
cleanup() {
  [ -n "$load" ] && kill "$load" 2>/dev/null || true
  kill -TERM $up 2>/dev/null; wait $up 2>/dev/null || true
}
trap cleanup EXIT
export KUBECONFIG="$demo/cluster/kubeconfig"
for _ in $(seq 1 180); do
  if grep -q '^Kubeconfig: ' "$demo/up.log" 2>/dev/null && kubectl get nodes >/dev/null 2>&1; then break; fi
  if ! kill -0 $up 2>/dev/null; then echo "demo: whetstone up exited:"; cat "$demo/up.log"; exit 1; fi
  sleep 1
done

# No `kubectl apply -f crds/`: `whetstone up` installs the four CRDs (Established at once) before it prints the kubeconfig.
echo "demo: applying examples/pipeline/ (paths under $store, Prometheus at 127.0.0.1:$prometheus_port, pause $pause, analysis every $interval)"
for manifest in examples/pipeline/*.yaml; do
  sed -e "s#/var/lib/whetstone#$store#g" \
      -e "s#http://127.0.0.1:9090#http://127.0.0.1:$prometheus_port#g" \
      -e "s#duration: 5m#duration: $pause#" \
      -e "s#interval: 1m#interval: $interval#" "$manifest" | kubectl apply -f -
done
echo

# Traffic for the rollout: support questions sent to the rollout's Service (both tracks, by replica ratio) once it
# has ready endpoints, the way clients of the production model would call it.
send_traffic() {
  local questions=("How do I reset my password?" "Where can I download my invoice?" "How do I change my delivery address?" "Can I cancel my order?")
  local i=0
  while kill -0 $up 2>/dev/null; do
    address=$(kubectl get svc support-bot -o jsonpath='{.spec.clusterIP}:{.spec.ports[0].port}' 2>/dev/null || true)
    if [ -n "$address" ] && [ "$address" != ":" ]; then
      curl -s -m 10 -o /dev/null -w '%{http_code}\n' -X POST "http://$address/v1/completions" -H 'content-type: application/json' \
        -d "{\"prompt\": \"${questions[$((i % 4))]}\", \"max_tokens\": 8}" >> "$demo/traffic.log" || echo "000" >> "$demo/traffic.log"
      i=$((i + 1))
      sleep 0.2
    else
      sleep 2
    fi
  done
}

field() { kubectl get "$1" -o jsonpath="$2" 2>/dev/null || true; }
started=$(date +%s)
last=""
promoted_by_demo=""
while true; do
  ftj=$(field ftj/support-lora '{.status.phase}|{.status.progress.step}/{.status.progress.totalSteps}|{.status.metrics.validationLoss}')
  cpj=$(field cpj/support-int8 '{.status.phase}|{.status.results.compressionRatio}|{.status.results.accuracyDrop}')
  evr=$(field evr/support-eval '{.status.phase}|{.status.verdict}')
  mro=$(field mro/support-bot '{.status.phase}|{.status.currentStep}|{.status.canaryWeight}|{.status.message}')
  IFS='|' read -r ftj_phase ftj_step ftj_loss <<<"$ftj"
  IFS='|' read -r cpj_phase cpj_ratio cpj_drop <<<"$cpj"
  IFS='|' read -r evr_phase evr_verdict <<<"$evr"
  IFS='|' read -r mro_phase mro_step mro_weight mro_message <<<"$mro"
  [ -n "$ftj_loss" ] && ftj_loss=$(printf '%.3f' "$ftj_loss")
  line=$(printf 'ftj %-9s %-7s val %-6s | cpj %-9s %s× drop %s | evr %-9s %-6s | mro %-10s weight %s' \
    "${ftj_phase:-Pending}" "$ftj_step" "${ftj_loss:--}" "${cpj_phase:-Pending}" "${cpj_ratio:--}" "${cpj_drop:--}" \
    "${evr_phase:-Pending}" "${evr_verdict:-}" "${mro_phase:-Pending}" "${mro_weight:-0}")
  if [ -t 1 ]; then printf '\r\033[K%s' "$line"; elif [ "$line" != "$last" ]; then echo "$line"; fi
  last="$line"

  if [ -z "$load" ] && [ -n "$mro_phase" ] && [ "$mro_phase" != "Pending" ]; then
    send_traffic & load=$!
  fi
  # The last step of the example is `pause: {}`: it waits for a person. The demo does what that person would.
  if [ "$mro_phase" = "Paused" ] && [[ "$mro_message" == *"until promoted"* ]] && [ -z "$promoted_by_demo" ]; then
    [ -t 1 ] && echo
    echo "demo: the canary passed every analysis so far and waits to be promoted; doing it as a person would:"
    echo "  kubectl annotate mro support-bot whetstone.dev/promote=step"
    kubectl annotate mro support-bot whetstone.dev/promote=step >/dev/null
    promoted_by_demo=yes
  fi
  case "$ftj_phase|$cpj_phase|$evr_phase|$mro_phase" in
    *Promoted|*RolledBack|Failed\|*|*\|Failed\|*|*\|Failed) break ;;
  esac
  if [ "$evr_phase" = "Succeeded" ] && [ "$evr_verdict" = "Failed" ] && [ "$mro_phase" = "Failed" ]; then break; fi
  if ! kill -0 $up 2>/dev/null; then echo; echo "demo: whetstone up exited:"; tail -20 "$demo/up.log"; exit 1; fi
  if [ $(( $(date +%s) - started )) -gt "$limit_seconds" ]; then echo; echo "demo: stopped waiting after $limit_seconds s"; break; fi
  sleep 3
done
[ -t 1 ] && echo
# A rollout writes its report just after its final phase (the phase first, so traffic figures never delay it).
if [[ "$mro_phase" == Promoted || "$mro_phase" == RolledBack ]]; then
  for _ in $(seq 30); do [ -n "$(field mro/support-bot '{.status.report.outcome}')" ] && break; sleep 1; done
fi
echo
kubectl get ftj,cpj,evr,mro
echo
# The before/after summary of each step, from its status (the evaluation's includes its gates and report location,
# the rollout's its analysis).
whetstone report ftj/support-lora || true
echo
whetstone report cpj/support-int8 || true
echo
whetstone report evr/support-eval || true
echo
whetstone report mro/support-bot || true
if [ -s "$demo/traffic.log" ]; then
  echo
  echo "demo traffic to the support-bot Service: $(wc -l < "$demo/traffic.log") requests, HTTP status: $(sort "$demo/traffic.log" | uniq -c | awk '{printf "%s%s × %s", sep, $2, $1; sep=", "}')"
fi
echo
kubectl describe mro support-bot | sed -n '/^Events:/,$p'
phase=$(field mro/support-bot '{.status.phase}')
reasons=$(field mro/support-bot '{.status.conditions[*].reason}')
case "$phase" in
  Promoted) echo "demo: the compressed, fine-tuned model now serves all traffic" ;;
  RolledBack) echo "demo: the canary was rolled back: $(field mro/support-bot '{.status.message}')" ;;
  *)
    if [[ "$reasons" == *EvaluationNotPassed* ]]; then
      # A decision of the pipeline, not a failure of the demo: the evaluation's gates refused the new model, so the
      # production model keeps serving all traffic.
      echo "demo: the evaluation refused the new model (gates above), so the production model keeps serving all traffic"
    else
      echo "demo: the pipeline did not finish; see the messages above and $demo/up.log"; exit 1
    fi ;;
esac
