"""Interrupt a magchain command at a random moment of its work, in a subprocess.

The child imports magchain first and says so, so that the parent's random delay falls inside
the command's work rather than inside Python's start-up.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time

CHILD = (
    "import sys\n"
    "from magchain.cli.main import app\n"
    "print('ready', flush=True)\n"
    "sys.argv = ['magchain', *sys.argv[1:]]\n"
    "app()\n"
)
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)


def start(args: list[str], url: str, attempts: int = 3) -> subprocess.Popen:
    """The command, once magchain is imported. A child that dies before that has not touched the
    store, so it is started again (and reported with its stderr if it never starts)."""
    env = {**os.environ, "MAGCHAIN_DATABASE_URL": url}
    for _ in range(attempts):
        with tempfile.TemporaryFile("w+") as errors:
            process = subprocess.Popen([sys.executable, "-c", CHILD, *args], env=env, stdout=subprocess.PIPE,
                                       stderr=errors, text=True)
            if process.stdout.readline().strip() == "ready":
                return process
            process.wait(timeout=60)
            errors.seek(0)
            problem = f"exit {process.returncode}: {errors.read()[-2000:]}"
    raise RuntimeError(f"magchain {' '.join(args)} did not start ({problem})")


def work_seconds(args: list[str], url: str) -> float:
    """How long the command works once magchain is imported."""
    process = start(args, url)
    began = time.perf_counter()
    process.wait(timeout=120)
    return time.perf_counter() - began


def interrupt(args: list[str], url: str, within: float, rng: random.Random) -> tuple[int, float, bool]:
    """Run the command and send a random signal after a random share of ``within`` seconds.
    Returns the signal, the delay and whether the command had already finished."""
    process = start(args, url)
    delay = rng.uniform(0.0, within)
    chosen = rng.choice(SIGNALS)
    time.sleep(delay)
    finished = process.poll() is not None
    if not finished:
        process.send_signal(chosen)
    process.wait(timeout=120)
    return chosen, delay, finished
