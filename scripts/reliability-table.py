#!/usr/bin/env python3
"""Turns the reliability suite's results into the README's Markdown table.

usage: reliability-table.py [RESULTS_JSONL]   (default: TestResults/reliability/results.jsonl)

Each line of the file is one fault a test of tests/Whetstone.Reliability.Tests injected: {"recordedAt", "row": {fault,
test, happened, recovered, lost, figures, gap}}. The latest row per test wins (a rerun replaces it). Then comes a short
table of faults that other projects' tests already inject, by test name (their figures are in those tests).
"""
import json
import os
import sys

# Faults injected with real processes by other projects' tests (not rerun here): fault, test, what it shows.
COVERED_ELSEWHERE = [
    ("Worker SIGKILLed mid-training (file:// and S3)",
     "Whetstone.Worker.Tests: FineTuneCommandTest.Killed_worker_resumes_from_its_latest_checkpoint_and_finishes; "
     "S3FineTuneTest.Killed_worker_with_s3_output_resumes_on_a_fresh_machine_from_its_uploaded_checkpoint_and_matches_an_uninterrupted_run",
     "resumes from the last checkpoint; final weights equal an uninterrupted run"),
    ("Worker stopped mid-run by the operator (end to end, kubectl)",
     "Whetstone.Operator.Tests: FineTuneJobEndToEndTest.A_worker_stopped_mid_run_is_replaced_and_the_next_attempt_resumes_from_its_checkpoint",
     "a new attempt resumes from the checkpoint"),
    ("Worker SIGKILLed inside a checkpoint write (frozen with SIGSTOP while its staging folder exists, then killed)",
     "Whetstone.Worker.Tests: CheckpointWriteKillTest.A_worker_killed_mid_checkpoint_write_resumes_from_the_last_complete_checkpoint_and_matches_an_uninterrupted_run",
     "resumes from the last committed checkpoint, the half-written one removed; final adapter equals an uninterrupted run"),
    ("Writer process killed mid-upload (file://)",
     "Whetstone.Artifacts.Tests: FileArtifactStoreTest.A_writer_process_killed_mid_upload_leaves_nothing_visible_and_cleanup_removes_its_leftover",
     "nothing visible; cleanup removes the leftover"),
    ("S3 server restarted during a small put",
     "Whetstone.Artifacts.Tests: S3ArtifactStoreTest.Put_retries_until_the_restarted_server_answers",
     "retried until the server answers"),
    ("API server restarted under open watches",
     "Whetstone.LocalCluster.Tests: WatchSemanticsTest.A_watch_resumes_after_a_server_restart_from_its_last_resourceVersion; "
     "Whetstone.Operator.Tests: InformerIntegrationTest.A_too_old_resource_version_after_a_server_restart_relists_and_reports_what_changed",
     "watches resume; a 410 relists"),
    ("Operator restarted with settled jobs",
     "Whetstone.Operator.Tests: SteadyStateReconcileIntegrationTest.A_restarted_operator_reconciles_every_settled_job_and_writes_nothing",
     "every job reconciled again, zero writes"),
    ("Prometheus answers NaN during a rollout analysis",
     "Whetstone.Operator.Tests: MetricAnalyzerPrometheusIntegrationTest.A_rate_of_counters_that_do_not_move_is_NaN_and_inconclusive",
     "inconclusive, never a promotion"),
]


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def number(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"
    return str(value)


def figures(values):
    return ", ".join(f"{k} {number(v)}" for k, v in values.items())


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join("TestResults", "reliability", "results.jsonl")
    if not os.path.exists(path):
        print(f"no results at {path}: run ./test.sh Whetstone.Reliability first", file=sys.stderr)
        return 1

    latest = {}
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                row = entry["row"]
                latest[row["test"]] = (entry["recordedAt"], row)
            except (ValueError, KeyError) as error:
                print(f"{path}:{number}: not a result line ({error})", file=sys.stderr)
                return 1

    rows = [row for row in sorted((row for _, row in latest.values()), key=lambda row: row["test"])]
    print("| fault | what happened | figures | recovered | anything lost | known gap (cause) | test |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {cell(row['fault'])} | {cell(row['happened'])} | {cell(figures(row.get('figures') or {}))} | "
              f"{'yes' if row['recovered'] else '**no**'} | {'**yes**' if row['lost'] else 'no'} | {cell(row.get('gap') or '')} | "
              f"`{cell(row['test'])}` |")
    print()
    print("Faults injected by other projects' tests:")
    print()
    print("| fault | test | outcome |")
    print("|---|---|---|")
    for fault, test, outcome in COVERED_ELSEWHERE:
        print(f"| {cell(fault)} | {cell(test)} | {cell(outcome)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
