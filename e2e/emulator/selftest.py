#!/usr/bin/env python3
"""Self-check of launcher.py + inventory.py with the real Terraform AWS provider.

Usage:
    python3 e2e/emulator/selftest.py [--variant nat|endpoints|all] [--forms]
                                     [--keep-dirs]

Starts the launcher on a free port, checks the empty emulator inventories
empty, then per variant of stack.py: writes main.tf.json into a temp dir,
terraform init (filesystem mirror /opt/tf-plugins), apply -auto-approve,
plan -detailed-exitcode (must be 0 = no changes), destroy -auto-approve, and
asserts the inventory is empty again. --forms also runs container_forms.py.
Stops the launcher with SIGTERM and checks it exits 0. Prints timings.
Exit 0 on success.
"""

import argparse
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import inventory  # noqa: E402
from certificate import acm_client, self_signed_pem  # noqa: E402
import stack  # noqa: E402

MIRROR = os.environ.get("TF_PLUGIN_MIRROR", "/opt/tf-plugins")


def start_launcher():
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "launcher.py"), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 1)
        if ready:
            line = proc.stdout.readline()
            if line.startswith("READY "):
                return proc, line.split()[1]
            if not line:
                break
    proc.kill()
    raise SystemExit("launcher did not print READY")


def stop_launcher(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return -1


def nonempty(inv):
    return {k: v for k, v in inv.items() if v}


def tf(args, cwd, env, log):
    t0 = time.time()
    p = subprocess.run(["terraform", *args, "-input=false", "-no-color"], cwd=cwd,
                       env=env, capture_output=True, text=True)
    with open(log, "w") as f:
        f.write(p.stdout + p.stderr)
    return p, time.time() - t0


def load_config(path):
    """A Terraform JSON file (e.g. a golden cdk.tf.json of the library), with
    its backend removed so the state stays in the temp dir."""
    with open(path) as f:
        cfg = json.load(f)
    cfg.get("terraform", {}).pop("backend", None)
    return cfg


ACM_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[\w-]+$")


def substitute_certificates(cfg, endpoint):
    """A literal ACM certificate ARN (an input of the stack) does not exist in
    the emulator, and the provider retries CreateListener for minutes on
    CertificateNotFound. Import a self-signed certificate and use its ARN."""
    acm = acm_client(endpoint)
    mapping = {}

    def walk(v):
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str) and ACM_ARN.match(v):
            if v not in mapping:
                cert, key = self_signed_pem()
                mapping[v] = acm.import_certificate(Certificate=cert, PrivateKey=key)[
                    "CertificateArn"]
                print(f"  certificate {v} -> imported {mapping[v]}", flush=True)
            return mapping[v]
        return v

    return walk(cfg), list(mapping.values())


def run_variant(variant, endpoint, base_env, keep, cfg=None):
    d = tempfile.mkdtemp(prefix=f"emu-{os.path.basename(variant)}-")
    timings, failures = {}, []
    env = dict(base_env)
    with open(os.path.join(d, "cli.tfrc"), "w") as f:
        f.write('provider_installation {\n  filesystem_mirror {\n'
                f'    path = "{MIRROR}"\n  }}\n}}\n')
    env["TF_CLI_CONFIG_FILE"] = os.path.join(d, "cli.tfrc")
    imported = []
    if cfg is not None:
        cfg, imported = substitute_certificates(cfg, endpoint)
    with open(os.path.join(d, "main.tf.json"), "w") as f:
        json.dump(cfg if cfg is not None else stack.build(variant), f, indent=2)

    def step(name, args, ok=(0,)):
        p, secs = tf(args, d, env, os.path.join(d, f"{name}.log"))
        timings[name] = round(secs, 1)
        if p.returncode not in ok:
            failures.append(f"{variant}: terraform {name} exit {p.returncode}, "
                            f"see {d}/{name}.log\n" + tail(p.stdout + p.stderr))
        return p

    init = step("init", ["init"])
    applied = False
    if init.returncode == 0:
        applied = step("apply", ["apply", "-auto-approve"]).returncode == 0
        if applied:
            step("plan", ["plan", "-detailed-exitcode"])
            if cfg is None:
                # Second revision: exercises UpdateService and a new task
                # definition revision; the plan after it must be clean too.
                with open(os.path.join(d, "main.tf.json"), "w") as f:
                    json.dump(stack.build(variant, updated=True), f, indent=2)
                if step("update", ["apply", "-auto-approve"]).returncode == 0:
                    step("plan_after_update", ["plan", "-detailed-exitcode"])
        # Destroy even after a failed apply: clean up what was created.
        step("destroy", ["destroy", "-auto-approve"])
    if imported:
        acm = acm_client(endpoint)
        for arn in imported:
            acm.delete_certificate(CertificateArn=arn)
    left = nonempty(inventory.collect(endpoint, "us-east-1"))
    if left:
        failures.append(f"{variant}: left behind after destroy: {json.dumps(left)}")
    if not failures and not keep:
        shutil.rmtree(d, ignore_errors=True)
    return timings, failures


def tail(text, n=60):
    lines = [l for l in text.splitlines() if "Still " not in l and "Refreshing state" not in l]
    return "\n".join(lines[-n:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", default="all", choices=["nat", "endpoints", "all"])
    ap.add_argument("--forms", action="store_true", help="also run container_forms.py")
    ap.add_argument("--keep-dirs", action="store_true")
    ap.add_argument("--config", action="append", default=[], metavar="FILE",
                    help="Terraform JSON to run instead of stack.py (repeatable; "
                         "its backend block is dropped), e.g. a library golden file")
    a = ap.parse_args()

    if shutil.which("terraform") is None:
        raise SystemExit("terraform not on PATH")
    variants = ["nat", "endpoints"] if a.variant == "all" else [a.variant]
    if a.config:
        variants = a.config
    failures, report = [], {}

    t0 = time.time()
    proc, endpoint = start_launcher()
    report["launcher_ready_s"] = round(time.time() - t0, 1)
    print(f"launcher: {endpoint} (ready in {report['launcher_ready_s']} s)", flush=True)
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="test",
               AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1",
               AWS_DEFAULT_REGION="us-east-1")
    env.pop("AWS_PROFILE", None)
    try:
        left = nonempty(inventory.collect(endpoint, "us-east-1"))
        if left:
            failures.append(f"inventory of the empty emulator is not empty: {left}")
        for v in variants:
            cfg = load_config(v) if a.config else None
            timings, fails = run_variant(v, endpoint, env, a.keep_dirs, cfg)
            report[v] = timings
            failures += fails
            print(f"{v}: {timings} {'OK' if not fails else 'FAILED'}", flush=True)
        if a.forms:
            p = subprocess.run([sys.executable, os.path.join(HERE, "container_forms.py"),
                                "--endpoint", endpoint], env=env, capture_output=True,
                               text=True)
            print(p.stdout)
            if p.returncode != 0:
                failures.append("container_forms: reference form shows a diff\n"
                                + p.stdout + p.stderr)
    finally:
        rc = stop_launcher(proc)
    if rc != 0:
        failures.append(f"launcher exited {rc} on SIGTERM")
    print(json.dumps(report))
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    print("selftest:", "PASS" if not failures else "FAIL")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
