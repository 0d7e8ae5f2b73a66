#!/usr/bin/env python3
"""Closed-loop load against a running `whetstone-worker serve`: N client threads, each sending the next request as
soon as the last is answered, for a fixed time. Prints throughput, latency percentiles and the server's mean batch
size (from its /metrics). Standard library only.

  python3 bench/serving/load.py --url http://127.0.0.1:8080 --endpoint predict --concurrency 32 --seconds 10
"""
import argparse, http.client, json, threading, time, urllib.parse, re

def request_body(endpoint):
    if endpoint == "predict":
        return "/v1/predict", json.dumps({"inputs": [[float(i % 17) for i in range(64)]]})
    return "/v1/completions", json.dumps({"prompt": "The cat", "max_tokens": 8, "temperature": 0})

def metric_sum(url, name):
    parsed = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name + "{"))

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--endpoint", choices=["predict", "completions"], default="predict")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    parsed = urllib.parse.urlparse(args.url)
    path, body = request_body(args.endpoint)
    latencies, errors, lock = [], [0], threading.Lock()
    batches0 = metric_sum(args.url, "whetstone_inference_batch_size_count")
    rows0 = metric_sum(args.url, "whetstone_inference_batch_size_sum")
    deadline = time.monotonic() + args.seconds

    def client():
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        while time.monotonic() < deadline:
            start = time.monotonic()
            conn.request("POST", path, body, {"content-type": "application/json"})
            response = conn.getresponse()
            response.read()
            elapsed = time.monotonic() - start
            with lock:
                if response.status == 200:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(args.concurrency)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
    batches = metric_sum(args.url, "whetstone_inference_batch_size_count") - batches0
    rows = metric_sum(args.url, "whetstone_inference_batch_size_sum") - rows0
    print(json.dumps({"endpoint": args.endpoint, "concurrency": args.concurrency, "requests": len(latencies), "errors": errors[0],
                      "throughput_per_s": round(len(latencies) / wall, 1), "p50_ms": round(pct(0.5), 2), "p99_ms": round(pct(0.99), 2),
                      "mean_batch": round(rows / batches, 2) if batches else None}))

if __name__ == "__main__":
    main()
