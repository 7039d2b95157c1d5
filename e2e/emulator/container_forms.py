#!/usr/bin/env python3
"""Which container_definitions JSON forms give NO diff on the second plan?

Usage: python3 e2e/emulator/container_forms.py --endpoint http://127.0.0.1:PORT

Applies one aws_ecs_task_definition per form (awsvpc, FARGATE) against a
running launcher.py, re-plans, prints per form "no-diff" or the plan excerpt,
then destroys. Exit 0 if the reference form (the one stack.py emits) has no
diff. The launcher echoes container definitions the way AWS does (cpu 0,
environment/mountPoints/volumesFrom/systemControls [], protocol tcp, hostPort).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stack  # noqa: E402

LOG = {
    "logDriver": "awslogs",
    "options": {
        "awslogs-group": "/ecs/my-service",
        "awslogs-region": "us-east-1",
        "awslogs-stream-prefix": "my-service",
    },
}


def base(**extra):
    c = {
        "name": "my-service",
        "image": "nginx:latest",
        "essential": True,
        "readonlyRootFilesystem": True,
        "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
        "environment": [],
        "stopTimeout": 30,
        "logConfiguration": LOG,
    }
    c.update(extra)
    return {k: v for k, v in c.items() if v is not None}


FORMS = {
    # What stack.py (and the library) emits.
    "reference": json.loads(stack.container_definitions("/ecs/my-service"))[0],
    # Everything AWS echoes back spelled out.
    "aws_echo_full": base(cpu=0, mountPoints=[], volumesFrom=[], systemControls=[]),
    # Leaner: no essential, no environment, port mapping with containerPort only.
    "minimal": base(essential=None, environment=None,
                    portMappings=[{"containerPort": 80}]),
    # Unsorted non-empty environment.
    "env_unsorted": base(environment=[{"name": "B", "value": "2"},
                                      {"name": "A", "value": "1"}]),
    # Other empty lists at top level.
    "empty_lists": base(secrets=[], dependsOn=[], ulimits=[], command=[],
                        entryPoint=[], dockerLabels={}),
    # Empty list nested in logConfiguration.
    "log_secret_options_empty": base(logConfiguration=dict(LOG, secretOptions=[])),
    # hostPort 0 instead of omitted.
    "host_port_zero": base(portMappings=[{"containerPort": 80, "hostPort": 0,
                                          "protocol": "tcp"}]),
    # Explicit null values.
    "nulls": base(cpu=None, memory=None) | {"memoryReservation": None,
                                             "command": None},
}


def config(forms):
    resources = {}
    for name, cd in forms.items():
        resources[name] = {
            "family": f"form-{name.replace('_', '-')}",
            "network_mode": "awsvpc",
            "requires_compatibilities": ["FARGATE"],
            "cpu": "256",
            "memory": "512",
            "runtime_platform": {"operating_system_family": "LINUX",
                                 "cpu_architecture": "X86_64"},
            "container_definitions": json.dumps([cd]),
        }
    cfg = stack.build("nat")
    return {
        "terraform": cfg["terraform"],
        "provider": cfg["provider"],
        "resource": {"aws_ecs_task_definition": resources},
    }


def run(args, cwd, env, check=True):
    p = subprocess.run(["terraform", *args, "-input=false", "-no-color"], cwd=cwd,
                       env=env, capture_output=True, text=True)
    if check and p.returncode not in (0, 2):
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit(f"terraform {args[0]} failed ({p.returncode})")
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    a = ap.parse_args()
    env = dict(os.environ, AWS_ENDPOINT_URL=a.endpoint, AWS_ACCESS_KEY_ID="test",
               AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1",
               AWS_DEFAULT_REGION="us-east-1")
    with tempfile.TemporaryDirectory() as d:
        rc_path = os.path.join(d, "cli.tfrc")
        with open(rc_path, "w") as f:
            f.write('provider_installation {\n  filesystem_mirror {\n'
                    '    path = "/opt/tf-plugins"\n  }\n}\n')
        env["TF_CLI_CONFIG_FILE"] = rc_path
        with open(os.path.join(d, "main.tf.json"), "w") as f:
            json.dump(config(FORMS), f, indent=2)
        run(["init"], d, env)
        run(["apply", "-auto-approve"], d, env)
        plan = run(["plan", "-detailed-exitcode"], d, env)
        results = {}
        for name in FORMS:
            m = re.search(rf"# aws_ecs_task_definition\.{name} (.*?)\n    }}\n",
                          plan.stdout, re.S)
            results[name] = "no-diff" if not m else m.group(0)
        run(["destroy", "-auto-approve"], d, env)
    print(f"second plan exit code: {plan.returncode} (0 = no changes at all)")
    for name, r in results.items():
        print(f"== {name}: {json.dumps(FORMS[name], sort_keys=True)}")
        print(r)
    return 0 if results["reference"] == "no-diff" and plan.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
