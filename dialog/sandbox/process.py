"""Renders run in a separate, long-lived render process, never in the web worker.

Why a process: the sandbox's budget (environment.py) stops loops, big numbers and long strings
between operations, but one Python operation can still run long or allocate much (a regular
expression, an XML tree). A separate process can be limited by the operating system and killed
without taking the web worker, or anyone else's request, with it.

Why long-lived rather than a fork per render: a render costs ~30 ms and most of that is
compiling the template, which the render process caches across renders; a fresh process per
render would pay the compile (and the imports) every time. Here a render costs the pickling of
the request and the copying of the finished document through a pipe (~1 ms).

The limits:
- CPU: before each render the process lowers its own RLIMIT_CPU soft limit to the time used so
  far plus the render's budget (+1 s), so a runaway is stopped by SIGXCPU even if the sandbox's
  own deadline never gets a chance to look at the clock;
- memory: RLIMIT_AS for the whole process (DIALOG_RENDER_MEMORY_MB, default 1024 MB);
- wall clock: the web worker waits at most max(3 x CPU budget, CPU budget + 10 s), then kills
  the process (a loaded machine stretches wall time; CPU is what is bounded);
- no core files, no child processes of its own.

After a failed render the process exits and the next render starts a fresh one (~0.5 s), so a
render never inherits a half-used heap. Each web worker process keeps its own small pool of
render processes (one per concurrent render, at most MAX_PROCESSES); a render process ends when
its web worker does (its stdin closes).

The protocol (child.py is the other end): the parent writes a 4-byte big-endian length and a pickled RenderRequest; the
child answers with one status byte, a 4-byte length and the payload: the .docx bytes, or JSON
describing the error. The parent never unpickles what the child writes.
"""

from __future__ import annotations

import atexit
import json
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OK, FAILED = b"K", b"E"
READY = b"R"
START_TIMEOUT = 60.0  # seconds for a new render process to import and say it is ready
MAX_PROCESSES = 4  # per web worker process: concurrent renders beyond this wait for one


class RenderFailed(Exception):
    """A render did not produce a document. `error` says what kind of failure:

    limit     - the template asked for more work than allowed (time, loops, size, memory)
    undefined - a variable or field that does not exist (strict renders only)
    security  - something the sandbox does not allow
    syntax    - a malformed tag
    template  - another error raised by the template (division by zero, wrong types …)
    crash     - docxtpl could not rebuild the XML, or the render process died

    str() is a short Swedish explanation, safe to show to an administrator."""

    def __init__(self, error: str, message: str, lineno: int | None = None):
        super().__init__(message)
        self.error = error
        self.message = message
        self.lineno = lineno


def wall_timeout(cpu_seconds: float) -> float:
    return max(3 * cpu_seconds, cpu_seconds + 10)


# --- the parent's side -------------------------------------------------------------------------


class _RenderProcess:
    def __init__(self, memory_mb: int):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.owner = os.getpid()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dialog.sandbox.child", str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=str(ROOT),
            close_fds=True,
        )
        try:
            if self._read(1, time.monotonic() + START_TIMEOUT) != READY:
                raise RenderFailed("crash", "renderingsprocessen startade inte")
        except BaseException:
            self.kill()
            raise

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None and self.owner == os.getpid()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass

    def close(self) -> None:
        """Ask the process to end (it exits when its input closes), then make sure."""
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def _read(self, size: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()
        chunks, left = [], size
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def render(self, payload: bytes, cpu_seconds: float, wall_seconds: float) -> bytes:
        deadline = time.monotonic() + wall_seconds
        try:
            self.proc.stdin.write(struct.pack(">I", len(payload)) + payload)
            self.proc.stdin.flush()
            status = self._read(1, deadline)
            (length,) = struct.unpack(">I", self._read(4, deadline))
            body = self._read(length, deadline)
        except TimeoutError:
            self.kill()
            raise RenderFailed(
                "limit", f"att fylla i mallen tog mer än {wall_seconds:.3g} sekunder"
            ) from None
        except (EOFError, BrokenPipeError, OSError):
            self.kill()
            raise self._death(cpu_seconds) from None
        if status == OK:
            return body
        self.close()  # it exits after a failure; reap it
        info = json.loads(body)
        raise RenderFailed(info["error"], info["message"], info.get("lineno"))

    def _death(self, cpu_seconds: float) -> RenderFailed:
        code = self.proc.returncode
        if code == -signal.SIGXCPU:
            return RenderFailed(
                "limit", f"att fylla i mallen tog mer än {cpu_seconds:.3g} sekunder processortid"
            )
        if code == -signal.SIGKILL:  # the kernel's out-of-memory killer, or an operator
            return RenderFailed("limit", "att fylla i mallen krävde för mycket minne")
        return RenderFailed("crash", f"renderingsprocessen avbröts (kod {code})")


class _Pool:
    def __init__(self):
        self._idle: list[_RenderProcess] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_PROCESSES)

    def _take(self, memory_mb: int) -> _RenderProcess:
        with self._lock:
            while self._idle:
                candidate = self._idle.pop()
                if candidate.alive:
                    return candidate
                if candidate.owner == os.getpid():
                    candidate.kill()
                # else: inherited through a fork; it belongs to the parent process
        return _RenderProcess(memory_mb)

    def render(
        self, payload: bytes, cpu_seconds: float, memory_mb: int, wall_seconds: float | None = None
    ) -> bytes:
        with self._slots:
            worker = self._take(memory_mb)
            try:
                data = worker.render(
                    payload, cpu_seconds, wall_seconds or wall_timeout(cpu_seconds)
                )
            except BaseException:
                if worker.alive:
                    worker.kill()
                raise
            with self._lock:
                self._idle.append(worker)
            return data

    def shutdown(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            if worker.owner == os.getpid():
                worker.close()


POOL = _Pool()
atexit.register(POOL.shutdown)


def render_in_process(request, memory_mb: int) -> bytes:
    """Send one RenderRequest to a render process and return the document's bytes."""
    payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
    return POOL.render(payload, request.limits.cpu_seconds, memory_mb)
