"""Takes the shell out of the deploy recipes, for deploy/check.sh to lint and run.

    recipes.py github-runs WORKFLOW DIR   each `run:` script into DIR/NN-JOB.sh, as GitHub
                                          runs it (bash -e -o pipefail)
    recipes.py gitlab JOB FILE DIR        JOB's script into DIR/script.sh and its variables,
                                          global ones first, into DIR/env.sh
    recipes.py wrangler-command FILE      the build command after "BUILD COMMAND:" in FILE

Runs with the Python of deploy/check/.venv, which has ruamel.yaml (check-jsonschema uses it).
"""

import re
import shlex
import sys
from pathlib import Path

from ruamel.yaml import YAML

# What actionlint puts in place of a ${{ }} expression before it runs shellcheck: a word of the
# same length, so that the columns shellcheck reports stay right.
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def load_yaml(path):
    return YAML(typ="safe").load(Path(path).read_text())


def github_runs(workflow, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for job_id, job in load_yaml(workflow)["jobs"].items():
        for step in job.get("steps", []):
            if "run" not in step:
                continue
            count += 1
            script = EXPRESSION.sub(lambda m: "_" * len(m.group(0)), step["run"])
            path = out / f"{count:02}-{job_id}.sh"
            path.write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + script)
            print(path)
    if count == 0:
        sys.exit(f"{workflow}: no run: step")


def gitlab(job_name, path, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config = load_yaml(path)
    job = config[job_name]
    variables = {**config.get("variables", {}), **job.get("variables", {})}
    # A variable may be written {value: ..., description: ...}.
    variables = {k: v["value"] if isinstance(v, dict) else v for k, v in variables.items()}
    (out / "env.sh").write_text(
        "".join(f"export {name}={shlex.quote(str(value))}\n" for name, value in variables.items())
    )
    # GitLab runs the lines of `script` one after the other in one shell, stopping at the first
    # that fails.
    (out / "script.sh").write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + "\n".join(job["script"]) + "\n")


def wrangler_command(path):
    commands = [
        line.split("BUILD COMMAND:", 1)[1].strip()
        for line in Path(path).read_text().splitlines()
        if "BUILD COMMAND:" in line
    ]
    if len(commands) != 1:
        sys.exit(f'{path}: expected one line with "BUILD COMMAND:", found {len(commands)}')
    print(commands[0])


if __name__ == "__main__":
    what, *args = sys.argv[1:]
    {"github-runs": github_runs, "gitlab": gitlab, "wrangler-command": wrangler_command}[what](*args)
