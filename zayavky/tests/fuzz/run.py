"""The property-based API fuzz (ASVS 1.14, issue "hardening" item 10): schemathesis generates requests from
the API's own OpenAPI document and runs every check it has — no 5xx, no answer outside the documented
schema or status codes, no valid input refused (positive data acceptance), no invalid input accepted,
stateful links — against the real server: gunicorn with ``DEBUG=0`` on PostgreSQL, with the tokens of
several roles.

    python -m zayavky.tests.fuzz.run --cases 1000            # `make fuzz` (CI): a few minutes
    python -m zayavky.tests.fuzz.run --cases 20000           # `make fuzz-long`

It creates (and drops afterwards) its own database, named by ``FUZZ_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/zayavky_fuzz``), and serves on ``FUZZ_PORT`` (default 8500). Exit
status 0 only when every role's run passed and at least ``--cases`` cases were generated in all.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
#: The roles whose tokens fuzz the API: the general department, a unit's head and executor, the signatory,
#: the controller and the Contact Center's integration account.
ROLES = ["general", "head", "executor", "signatory", "controller", "integration"]
CASES_LINE = re.compile(r"(\d+)\s+generated")


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "ZAYAVKY_INSECURE_DEV")}
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="fuzz-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ZAYAVKY_MAIL_INLINE="0",
        EMAIL_TO_CONSOLE="1",
        LOG_LEVEL="ERROR",  # the server's log shows 5xx only; every 4xx is the fuzz doing its job
        DJANGO_SETTINGS_MODULE="zayavky.settings",
    )
    return env


def _psql(database_url: str, sql: str) -> None:
    parts = urlsplit(database_url)
    admin = parts._replace(path="/postgres").geturl()
    subprocess.run(["psql", admin, "-qc", sql], check=True)


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # our own server on loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url} in {seconds} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="generated cases at least, over all roles")
    parser.add_argument("--port", type=int, default=int(os.environ.get("FUZZ_PORT", "8500")))
    parser.add_argument("--seed", type=int, default=None, help="schemathesis' random seed (to reproduce a run)")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for a look afterwards")
    args = parser.parse_args(argv)
    database_url = os.environ.get("FUZZ_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zayavky_fuzz")
    name = urlsplit(database_url).path.lstrip("/")
    if name in ("test", "test_test", "zayavky") or not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"FUZZ_DATABASE_URL: refusing to use the database {name!r}")
    env = _env(database_url)
    work = Path(tempfile.mkdtemp(prefix="zayavky-fuzz-"))
    env["ZAYAVKY_VAR_DIR"] = str(work)
    _psql(database_url, f"DROP DATABASE IF EXISTS {name}")
    _psql(database_url, f"CREATE DATABASE {name}")
    server = None
    try:
        subprocess.run([BIN / "python", "-m", "zayavky.i18n", "compile"], cwd=ROOT, env=env, check=True)
        subprocess.run([BIN / "zayavky", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        tokens_file = work / "tokens.json"
        subprocess.run([BIN / "python", "-m", "zayavky.tests.fuzz.seed", tokens_file], cwd=ROOT, env=env, check=True)
        tokens = json.loads(tokens_file.read_text())
        base = f"http://127.0.0.1:{args.port}"
        # The same limits as the README's production command: a request line up to 8190 bytes.
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "zayavky.wsgi", "--bind", f"127.0.0.1:{args.port}", "--workers", "2"]
            + ["--limit-request-line", "8190", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        _wait(f"{base}/api/openapi.json")
        per_role = max(1, -(-args.cases // len(ROLES)))
        total, failed = 0, []
        for role in ROLES:
            generated, ok = _fuzz(base, role, tokens[role], per_role, args.seed, work)
            total += generated
            if not ok:
                failed.append(role)
        print(f"== fuzz: {total} cases generated over {len(ROLES)} roles; failed: {', '.join(failed) or 'none'}")
        if total < args.cases:
            print(f"== fuzz: fewer cases than asked ({total} < {args.cases})")
            return 1
        return 1 if failed else 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep_db:
            _psql(database_url, f"DROP DATABASE IF EXISTS {name}")


def _fuzz(base: str, role: str, token: str, cases: int, seed: int | None, work: Path) -> tuple[int, bool]:
    """One schemathesis run with one role's token until at least ``cases`` cases were generated."""
    report = work / f"{role}.ndjson"
    command = [
        str(BIN / "st"),
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "run",
        f"{base}/api/openapi.json",
        "--checks",
        "all",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(max(1, cases // 25)),
        "--workers",
        "2",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--no-color",
    ]
    if seed is not None:
        command += ["--seed", str(seed)]
    print(f"== fuzz as {role}", flush=True)
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    output = completed.stdout + completed.stderr
    sys.stdout.write(output[-6000:] if completed.returncode == 0 else output)
    found = CASES_LINE.findall(output)
    generated = max((int(n) for n in found), default=0)
    return generated, completed.returncode == 0


if __name__ == "__main__":
    sys.exit(main())
