#!/usr/bin/env python3
"""The serving benchmark of issue 16, side by side in one run (standard library only).

Starts `whetstone-worker serve` (Release build) on the demo model (examples/models/tiny-llama, TorchSharp) and on its
INT8 ONNX compression (made once with `whetstone-worker compress` on examples/tasks/compress-tiny-int8.yaml), each
with dynamic batching (--max-batch-size 32 --max-delay-ms 5) and without (--max-batch-size 1), and drives them with
closed-loop clients in separate processes at concurrency 1, 8, 32 and 64:

  forward   POST /v1/completions, max_tokens 1, greedy: one prefill per request (the forward-only endpoint of a
            language model)
  generate  POST /v1/completions, max_tokens 16, greedy, concurrency 8: generated tokens per second
  cache     70 % of requests repeat one of 5 prompts (greedy, so cacheable), 30 % are unique: QPS with
            --response-cache-entries 1000 against none
  staggered open-loop Poisson arrivals (--staggered-rate per second), half max_tokens 4 and half 48, greedy:
            continuous batching (the default) against --request-level-batching on the TorchSharp model, in the same
            run: tokens/s and P50/P99 latency, over all requests and for the short ones

It prints the CPU (model, AVX-512/VNNI flags), the load average, every cell (throughput, P50/P99, errors, the
server's mean batch size from its /metrics, CPU seconds of server and clients) and the issue's targets.

  dotnet build -c Release worker/Whetstone.Worker
  python3 bench/serving/bench.py [--seconds 5] [--models torch,onnx] [--workloads all|staggered] [--staggered-rate 120]
"""
import argparse, concurrent.futures, http.client, json, multiprocessing, os, random, resource, socket, subprocess, sys, threading, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORKER = os.path.join(ROOT, "worker", "Whetstone.Worker", "bin", "Release", "net10.0", "whetstone-worker")
RESULTS = os.path.join(ROOT, "bench", "results", "serving")
GLIBC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728"
HOT = ["How do I reset my password?", "Where is my order?", "Can I change the delivery address?",
       "How do I cancel my subscription?", "What is the refund policy?"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def metric_sum(port, name):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name + "{"))


class Server:
    def __init__(self, model, batch, cache=0, request_level=False, onnx_continuous=False):
        self.port = free_port()
        args = [WORKER, "serve", "--model", model, "--host", "127.0.0.1", "--port", str(self.port),
                "--max-batch-size", str(batch), "--max-delay-ms", "5", "--queue-capacity", "1024",
                "--response-cache-entries", str(cache), "--threads", "1"] + (["--request-level-batching"] if request_level else []) \
            + (["--onnx-continuous-batching"] if onnx_continuous else [])
        # The environment the worker image brings (Dockerfile.worker, WorkerProcessEnvironment), unless the caller
        # set GLIBC_TUNABLES itself (an empty value measures glibc's defaults).
        env = dict(os.environ)
        env.setdefault("GLIBC_TUNABLES", GLIBC_TUNABLES)
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"serve did not become ready: {' '.join(args)}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def client_process(port, threads, seconds, kind, seed, queue):
    bodies = []
    for i in range(2000):
        if kind == "cache":
            prompt = HOT[(i * 7 + seed) % 5] if (i * 13 + seed) % 10 < 7 else f"Question {seed}-{i}: where is parcel {i}?"
            bodies.append(json.dumps({"prompt": prompt, "max_tokens": 8, "temperature": 0}))
        else:
            bodies.append(json.dumps({"prompt": HOT[i % 5], "max_tokens": 16 if kind == "generate" else 1, "temperature": 0}))
    latencies, errors, tokens, lock = [], [0], [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def run(offset):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = offset
        while time.monotonic() < deadline:
            start = time.monotonic()
            try:
                conn.request("POST", "/v1/completions", bodies[i % len(bodies)], {"content-type": "application/json"})
                response = conn.getresponse()
                payload = response.read()
            except OSError:
                with lock:
                    errors[0] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            elapsed = time.monotonic() - start
            with lock:
                if response.status == 200:
                    latencies.append(elapsed)
                    tokens[0] += json.loads(payload).get("usage", {}).get("completion_tokens", 0)
                else:
                    errors[0] += 1
            i += 1

    workers = [threading.Thread(target=run, args=(seed * 1000 + t * 37,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    queue.put((latencies, errors[0], tokens[0], usage.ru_utime + usage.ru_stime))


def drive(server, concurrency, seconds, kind):
    processes = min(concurrency, max(1, os.cpu_count() or 1))
    queue = multiprocessing.Queue()
    batches0 = metric_sum(server.port, "whetstone_inference_batch_size_count")
    rows0 = metric_sum(server.port, "whetstone_inference_batch_size_sum")
    cpu0 = cpu_seconds(server.process.pid)
    started = time.monotonic()
    children = [multiprocessing.Process(target=client_process, args=(server.port, concurrency // processes + (1 if p < concurrency % processes else 0), seconds, kind, p, queue))
                for p in range(processes)]
    for c in children:
        c.start()
    parts = [queue.get() for _ in children]
    for c in children:
        c.join()
    wall = time.monotonic() - started
    latencies = sorted(l for part in parts for l in part[0])
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
    batches = metric_sum(server.port, "whetstone_inference_batch_size_count") - batches0
    rows = metric_sum(server.port, "whetstone_inference_batch_size_sum") - rows0
    requests, errors = len(latencies), sum(part[1] for part in parts)
    return {"kind": kind, "concurrency": concurrency, "requests": requests, "errors": errors,
            "qps": requests / wall, "p50_ms": pct(0.5), "p99_ms": pct(0.99),
            "tokens_per_s": sum(part[2] for part in parts) / wall,
            "mean_batch": rows / batches if batches else float("nan"),
            "server_cpu_s": cpu_seconds(server.process.pid) - cpu0, "client_cpu_s": sum(part[3] for part in parts), "wall_s": wall}

SHORT_TOKENS, LONG_TOKENS = 4, 48


def staggered_client(port, rate, seconds, seed, queue):
    """Open loop: requests arrive as a Poisson process, whether or not earlier ones were answered."""
    rng = random.Random(seed)
    arrivals, at = [], rng.expovariate(rate)
    while at < seconds:
        arrivals.append((at, SHORT_TOKENS if rng.random() < 0.5 else LONG_TOKENS, HOT[rng.randrange(5)] + f" (request {len(arrivals)})"))
        at += rng.expovariate(rate)
    results, lock = [], threading.Lock()

    def send(max_tokens, prompt):
        start = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("POST", "/v1/completions", json.dumps({"prompt": prompt, "max_tokens": max_tokens, "temperature": 0}), {"content-type": "application/json"})
            response = conn.getresponse()
            payload = response.read()
            conn.close()
            ok, tokens = response.status == 200, json.loads(payload).get("usage", {}).get("completion_tokens", 0) if response.status == 200 else 0
        except OSError:
            ok, tokens = False, 0
        with lock:
            results.append((max_tokens, ok, time.monotonic() - start, tokens, time.monotonic()))

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=256) as pool:
        for at, max_tokens, prompt in arrivals:
            delay = started + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, max_tokens, prompt)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    queue.put((started, results, usage.ru_utime + usage.ru_stime))


def drive_staggered(server, rate, seconds):
    queue = multiprocessing.Queue()
    steps0 = metric_sum(server.port, "whetstone_inference_batch_size_count")
    rows0 = metric_sum(server.port, "whetstone_inference_batch_size_sum")
    cpu0 = cpu_seconds(server.process.pid)
    child = multiprocessing.Process(target=staggered_client, args=(server.port, rate, seconds, 16, queue))
    child.start()
    started, results, client_cpu = queue.get()
    child.join()
    ended = max(r[4] for r in results)

    def pct(latencies, p):
        latencies = sorted(latencies)
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    done = [r for r in results if r[1]]
    short = [r[2] for r in done if r[0] == SHORT_TOKENS]
    steps = metric_sum(server.port, "whetstone_inference_batch_size_count") - steps0
    rows = metric_sum(server.port, "whetstone_inference_batch_size_sum") - rows0
    return {"kind": "staggered", "rate": rate, "requests": len(done), "errors": len(results) - len(done),
            "tokens_per_s": sum(r[3] for r in done) / (ended - started),
            "p50_ms": pct([r[2] for r in done], 0.5), "p99_ms": pct([r[2] for r in done], 0.99),
            "short_p50_ms": pct(short, 0.5), "short_p99_ms": pct(short, 0.99),
            "mean_batch": rows / steps if steps else float("nan"),
            "server_cpu_s": cpu_seconds(server.process.pid) - cpu0, "client_cpu_s": client_cpu, "wall_s": ended - started}


def run_staggered(rate, seconds, backend="torch"):
    """Continuous against request-level batching on one model (the TorchSharp demo model or its INT8 ONNX), in the same run, each on a fresh server."""
    rows = []
    model = onnx_model() if backend == "onnx" else os.path.join(ROOT, "examples", "models", "tiny-llama")
    for request_level in (True, False):
        server = Server(model, 32, request_level=request_level, onnx_continuous=backend == "onnx" and not request_level)
        try:
            rows.append({"batching": "request-level" if request_level else "continuous", **drive_staggered(server, rate, seconds)})
            rows.append({"batching": "request-level" if request_level else "continuous", **drive(server, 8, seconds, "generate")})
        finally:
            server.stop()
    print(f"\nStaggered arrivals ({'ONNX Runtime, INT8' if backend == 'onnx' else 'TorchSharp'}, Poisson {rate:g}/s for {seconds:g} s, half max_tokens {SHORT_TOKENS} and half {LONG_TOKENS}, greedy, --max-batch-size 32)")
    staggered = [r for r in rows if r["kind"] == "staggered"]
    closed = [r for r in rows if r["kind"] == "generate"]
    print("| batching | completed | errors | tokens/s | P50 ms | P99 ms | short P50 ms | short P99 ms | mean rows per step/batch | server CPU s | client CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in staggered:
        print(f"| {r['batching']} | {r['requests']} | {r['errors']} | {r['tokens_per_s']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['short_p50_ms']:.1f} | {r['short_p99_ms']:.1f} | {r['mean_batch']:.2f} | {r['server_cpu_s']:.1f} | {r['client_cpu_s']:.1f} |")
    print("\nClosed loop, the same servers: 8 clients, 16 greedy tokens each (equal settings, so request-level batches them all)")
    print("| batching | req/s | P50 ms | P99 ms | errors | mean rows per step/batch | tokens/s |\n|---|---:|---:|---:|---:|---:|---:|")
    for r in closed:
        print(f"| {r['batching']} | {r['qps']:.1f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {r['mean_batch']:.2f} | {r['tokens_per_s']:.0f} |")
    print(f"continuous / request-level, closed loop: tokens/s {closed[1]['tokens_per_s'] / closed[0]['tokens_per_s']:.2f}×")
    request, continuous = staggered
    print(f"continuous / request-level, staggered: tokens/s {continuous['tokens_per_s'] / request['tokens_per_s']:.2f}×; "
          f"P50 {request['p50_ms'] / continuous['p50_ms']:.2f}× lower, P99 {request['p99_ms'] / continuous['p99_ms']:.2f}× lower; "
          f"short requests P50 {request['short_p50_ms'] / continuous['short_p50_ms']:.2f}× lower, P99 {request['short_p99_ms'] / continuous['short_p99_ms']:.2f}× lower")
    return rows


def onnx_model():
    model = os.path.join(RESULTS, "compressed", "compress-tiny-int8", "model")
    if os.path.exists(os.path.join(model, "model.onnx")):
        return model
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(ROOT, "examples", "tasks", "compress-tiny-int8.yaml")) as f:
        task = f.read().replace("file:///tmp/whetstone-compress-out/", "file://" + os.path.join(RESULTS, "compressed") + "/")
    task = task.replace("file://../", "file://" + os.path.join(ROOT, "examples") + "/")
    path = os.path.join(RESULTS, "compress-tiny-int8.yaml")
    with open(path, "w") as f:
        f.write(task)
    subprocess.run([WORKER, "compress", "--task", path, "--work-dir", os.path.join(RESULTS, "work"), "--status-file", os.path.join(RESULTS, "status.json")],
                   check=True, stdout=subprocess.DEVNULL)
    return model


def machine():
    flags = ""
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and model == "unknown":
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                have = line.split(":", 1)[1].split()
                flags = ", ".join(x for x in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile") if x in have)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return f"{model}; {os.cpu_count()} CPUs; {flags}; load average {load}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--models", default="torch,onnx")
    parser.add_argument("--workloads", default="all", choices=["all", "staggered"])
    parser.add_argument("--staggered-rate", type=float, default=120)
    args = parser.parse_args()
    if not os.path.exists(WORKER):
        sys.exit(f"build the worker first: dotnet build -c Release worker/Whetstone.Worker ({WORKER} is missing)")
    print(f"Serving benchmark, {args.seconds:g} s per cell; {machine()}; servers run with GLIBC_TUNABLES={os.environ.get('GLIBC_TUNABLES', GLIBC_TUNABLES)!r}")
    if args.workloads == "staggered":
        # --models onnx: the ONNX model instead of the TorchSharp one.
        staggered = run_staggered(args.staggered_rate, args.seconds, "onnx" if args.models == "onnx" else "torch")
        with open("/proc/loadavg") as f:
            print(f"\nload average at the end: {' '.join(f.read().split()[:3])}")
        os.makedirs(RESULTS, exist_ok=True)
        with open(os.path.join(RESULTS, "serving-staggered.json"), "w") as f:
            json.dump({"machine": machine(), "rows": staggered}, f, indent=1)
        return
    models = {"torch": os.path.join(ROOT, "examples", "models", "tiny-llama")}
    if "onnx" in args.models:
        models["onnx"] = onnx_model()
    rows = []
    for name, path in models.items():
        if name not in args.models:
            continue
        for batch in (1, 32):
            server = Server(path, batch)
            try:
                for concurrency in (1, 8, 32, 64):
                    rows.append({"model": name, "batching": batch > 1, **drive(server, concurrency, args.seconds, "forward")})
                rows.append({"model": name, "batching": batch > 1, **drive(server, 8, args.seconds, "generate")})
            finally:
                server.stop()
        for cache in (0, 1000):
            server = Server(path, 32, cache)
            try:
                rows.append({"model": name, "batching": True, "cache": cache > 0, **drive(server, 8, args.seconds, "cache")})
            finally:
                server.stop()
    print("| model | batching | cache | workload | concurrency | req/s | P50 ms | P99 ms | errors | mean batch | tokens/s | server CPU s | client CPU s |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['model']} | {'yes' if r['batching'] else 'no'} | {'yes' if r.get('cache') else ('no' if r['kind'] == 'cache' else '')} | {r['kind']} | {r['concurrency']} | {r['qps']:.1f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {r['mean_batch']:.2f} | {r['tokens_per_s']:.0f} | {r['server_cpu_s']:.1f} | {r['client_cpu_s']:.1f} |")

    def cell(model, batching, kind, concurrency, cache=None):
        return next(r for r in rows if r["model"] == model and r["batching"] == batching and r["kind"] == kind and r["concurrency"] == concurrency and (cache is None or r.get("cache") == cache))

    print("\n| target | model | measured | met |\n|---|---|---|---|")
    for model in [m for m in models if m in args.models]:
        b, n = cell(model, True, "forward", 32), cell(model, False, "forward", 32)
        ratio = b["qps"] / n["qps"]
        err = b["errors"] / max(1, b["requests"] + b["errors"])
        print(f"| forward, concurrency 32: batching ≥ 3× batch-1 throughput at P99 ≤ 200 ms, errors < 1 % | {model} | {ratio:.2f}× ({b['qps']:.0f} vs {n['qps']:.0f} req/s), P99 {b['p99_ms']:.0f} ms, errors {err:.1%} | {'yes' if ratio >= 3 and b['p99_ms'] <= 200 and err < 0.01 else 'no'} |")
        b1, n1 = cell(model, True, "forward", 1), cell(model, False, "forward", 1)
        added = b1["p50_ms"] - n1["p50_ms"]
        print(f"| concurrency 1: batching adds ≤ 1 ms to P50, mean batch ≈ 1 | {model} | {added:+.2f} ms, mean batch {b1['mean_batch']:.2f} | {'yes' if added <= 1 and b1['mean_batch'] < 1.1 else 'no'} |")
        b64 = cell(model, True, "forward", 64)
        print(f"| mean batch reaches the maximum (32) under load | {model} | {b64['mean_batch']:.1f} at concurrency 64 | {'yes' if b64['mean_batch'] >= 28 else 'no'} |")
        g, gn = cell(model, True, "generate", 8), cell(model, False, "generate", 8)
        gratio = g["tokens_per_s"] / max(1e-9, gn["tokens_per_s"])
        print(f"| generation tokens/s with batching ≥ 2× without at concurrency 8 | {model} | {gratio:.2f}× ({g['tokens_per_s']:.0f} vs {gn['tokens_per_s']:.0f}) | {'yes' if gratio >= 2 else 'no'} |")
        c, cn = cell(model, True, "cache", 8, True), cell(model, True, "cache", 8, False)
        cratio = c["qps"] / cn["qps"]
        print(f"| ~70 % cache hits: ≥ 2× the QPS of no cache | {model} | {cratio:.2f}× ({c['qps']:.0f} vs {cn['qps']:.0f} req/s) | {'yes' if cratio >= 2 else 'no'} |")
    if "torch" in args.models:
        rows += run_staggered(args.staggered_rate, args.seconds)
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "serving-bench.json"), "w") as f:
        json.dump({"machine": machine(), "rows": rows}, f, indent=1)
    with open("/proc/loadavg") as f:
        print(f"\nload average at the end: {' '.join(f.read().split()[:3])}")


if __name__ == "__main__":
    main()
