"""Interrupt a magchain command at a random moment of its work, in a separate process.

Each command runs in a process of its own, forked from a helper process that has already
imported magchain (a fork server, one per calling thread). The command so starts at once: the
random delay falls inside the command's work rather than inside Python's start-up, and a trial
does not pay the seconds of that start-up each time. The helper forks the command, waits the
delay, sends the signal if the command is still running, and reports how it ended.

Delays and work are counted in the command's own CPU seconds, not in wall-clock seconds: on a
machine busy with other tests a command takes longer by the clock but not by its CPU, so a
delay drawn from its measured work still falls at a random point of that work.
"""

from __future__ import annotations

import atexit
import json
import random
import signal
import subprocess
import sys
import threading

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)

# The helper: import magchain once, then for each request fork the command, interrupt it as asked
# and answer with how it ended. One request at a time; it runs no threads, so forking is safe.
HELPER = r"""
import json, os, signal, sys, time
from magchain.cli.main import app

def run(args, url):
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.environ["MAGCHAIN_DATABASE_URL"] = url
    sys.argv = ["magchain", *args]
    try:
        app()
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except BaseException:
        code = 1
    os._exit(code)

def cpu_seconds(pid):
    # CPU time the running command's main thread has had so far (schedstat counts nanoseconds);
    # wait4's total at the end also counts any helper threads, which only widens the window
    try:
        with open(f"/proc/{pid}/schedstat") as stat:
            return int(stat.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None

def wait_for_cpu(pid, delay):
    # wait until the command has used `delay` CPU seconds; True if it ended first
    while True:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
        used = cpu_seconds(pid)
        if used is not None and used >= delay:
            return False
        time.sleep(0.001)

print("ready", flush=True)
for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        run(request["args"], request["url"])
    finished = False
    if request["delay"] is not None:
        finished = wait_for_cpu(pid, request["delay"])
        if not finished:
            os.kill(pid, request["signal"])
    seconds = None  # a command that ended before its signal was reaped uncounted
    if not finished:
        usage = os.wait4(pid, 0)[2]
        seconds = usage.ru_utime + usage.ru_stime
    print(json.dumps({"finished": finished, "seconds": seconds}), flush=True)
"""

_helpers = threading.local()
_started: list[subprocess.Popen] = []


def _helper() -> subprocess.Popen:
    """This thread's fork server, started on first use."""
    helper = getattr(_helpers, "process", None)
    if helper is None or helper.poll() is not None:
        helper = subprocess.Popen([sys.executable, "-c", HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        if helper.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the fork server did not start: {helper.stderr.read()[-2000:]}")
        _helpers.process = helper
        _started.append(helper)
    return helper


def _ask(args: list[str], url: str, delay: float | None, chosen: int | None) -> dict:
    helper = _helper()
    helper.stdin.write(json.dumps({"args": args, "url": url, "delay": delay, "signal": chosen}) + "\n")
    helper.stdin.flush()
    answer = helper.stdout.readline()
    if not answer:
        raise RuntimeError(f"the fork server stopped: {helper.stderr.read()[-2000:]}")
    return json.loads(answer)


def work_seconds(args: list[str], url: str) -> float:
    """How many CPU seconds the command works once started."""
    return _ask(args, url, None, None)["seconds"]


def interrupt(args: list[str], url: str, within: float, rng: random.Random) -> tuple[int, float, bool]:
    """Run the command and send a random signal after a random share of ``within`` CPU seconds.
    Returns the signal, the delay and whether the command had already finished."""
    delay = rng.uniform(0.0, within)
    chosen = rng.choice(SIGNALS)
    return chosen, delay, _ask(args, url, delay, int(chosen))["finished"]


@atexit.register
def _stop_helpers() -> None:
    for helper in _started:
        if helper.poll() is None:
            helper.stdin.close()
            helper.wait(timeout=30)
