"""Where the time goes when a goal is missed: pyinstrument in this process, py-spy elsewhere.

pyinstrument samples the calling thread only; the pages of a listing are read by
worker threads and served by the emulator's process, so those are sampled with
py-spy (``py-spy record --format raw``) and summarised by function. Where py-spy cannot
sample (not installed, or not allowed to attach), the profile says why in one line and
falls back to pyinstrument.
"""

from __future__ import annotations

import collections
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from _common import Context


def pyinstrument_text(work: Callable[[], object], *, lines: int = 45) -> str:
    """The call tree of *work* on this thread, trimmed to *lines* lines."""
    from pyinstrument import Profiler

    # IPython runs a cell inside a coroutine: async mode would hide the cell's own frames
    profiler = Profiler(interval=0.001, async_mode="disabled")
    profiler.start()
    work()
    profiler.stop()
    text = profiler.output_text(unicode=False, color=False, short_mode=True)
    kept = [
        line
        for line in text.splitlines()
        if line.strip(" .\n") and "pyinstrument" not in line and "Profile at" not in line
    ]
    return "\n".join(kept[:lines])


def py_spy_top(pid: int, work: Callable[[], object], *, seconds: float = 4.0, top: int = 12) -> str:
    """Functions most often on top of the stack in process *pid* while *work* runs.

    Where py-spy is missing or cannot attach (it reads another process's memory: root, or
    ptrace permission), one line says why, on the console and in the text, and *work* is
    profiled with pyinstrument on this thread instead.
    """
    spy = _py_spy()
    if spy is None:
        return _fallback("py-spy is not installed (dev.py bench installs it)", work)
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "stacks.txt"
        command = [spy, "record", "--pid", str(pid), "--format", "raw"]
        command += ["--duration", str(max(1, int(seconds))), "--rate", "200", "--nonblocking"]
        try:
            recorder = subprocess.Popen(
                [*command, "--output", str(out)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError as error:
            return _fallback(f"py-spy could not start: {error}", work)
        stop = threading.Event()

        def keep_working() -> None:
            while not stop.is_set() and recorder.poll() is None:
                work()

        worker = threading.Thread(target=keep_working)
        worker.start()
        try:
            recorder.wait(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            recorder.kill()
            recorder.wait()
        finally:
            stop.set()
            worker.join()
        if recorder.returncode != 0 or not out.exists():
            return _fallback(f"py-spy could not attach to process {pid}: {_why(recorder)}", work)
        return _summary(out.read_text(), top)


def _py_spy() -> str | None:
    """The py-spy beside this interpreter (the venv dev.py sets up), else on PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def _fallback(reason: str, work: Callable[[], object]) -> str:
    line = f"({reason}; profiled with pyinstrument on this thread instead)"
    print(f"[bench] {line[1:-1]}", flush=True)
    return f"{line}\n{pyinstrument_text(work)}"


def _why(process: subprocess.Popen[bytes]) -> str:
    """py-spy's own reason in one line (its first "Error:" line), with what would help."""
    text = process.stderr.read().decode(errors="replace") if process.stderr else ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line.removeprefix("Error:").strip() for line in lines if line.startswith("Error:")]
    why = (errors or lines or [f"exit status {process.returncode}"])[0][:200]
    if any(word in text for word in ("Permission denied", "Operation not permitted")):
        why += " (py-spy needs root, or ptrace permission: sysctl kernel.yama.ptrace_scope=0)"
    return why


def _summary(raw: str, top: int) -> str:
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        leaf = frames[-1]
        if "(threading.py" in leaf or "wait (" in leaf or "select (" in leaf:
            continue  # idle threads: waiting is not where the time goes
        own[_short(leaf)] += int(count)
        total += int(count)
    if not total:
        return "(no busy samples)"
    rows = [f"{100 * n / total:5.1f}%  {name}" for name, n in own.most_common(top)]
    return "\n".join([f"busy samples: {total} (share of samples by innermost function)", *rows])


def _short(frame: str) -> str:
    # "func (path/to/module.py:123)" -> "func (module.py)"
    name, _, where = frame.partition(" (")
    return f"{name} ({Path(where.split(':')[0]).name})"


def emulator_pid(ctx: Context) -> int | None:
    """The emulator process's id, for py-spy."""
    process = getattr(ctx.emu, "_process", None)
    return None if process is None else int(process.pid)
