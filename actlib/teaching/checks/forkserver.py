r"""Notebook kernels forked from a process that has already imported the heavy modules.

Autograding runs every notebook in a fresh kernel, and a fresh kernel spends most of its
CPU time starting up: ipykernel, numpy, scipy, PyTorch and scikit-learn take seconds to
import, longer than most of the assignments' cells take to run. A *fork server* imports
them once (:data:`PRELOAD`) and forks one child per kernel; the child sets the working
directory, environment and ``sys.path`` the kernel was asked for and starts ipykernel's
``IPKernelApp`` with the usual connection file. The child is a new process with its own
copy of everything, as independent of the other kernels as a spawned one.

:class:`ForkKernelManager` is a ``jupyter_client`` kernel manager that launches through
the fork server (one per process that uses it, started on first use); nbgrader uses it
with ``c.Execute.kernel_manager_class``, which
:func:`~actlib.teaching.checks.grading.autograde_class` sets with ``fork=True``.

Nothing in :data:`PRELOAD` may import matplotlib's pyplot (the kernel chooses its inline
backend when it starts) or start a thread (a forked child would not have it).
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

__all__ = ["PRELOAD", "ForkKernelManager", "ForkProvisioner", "serve", "stop_server"]

#: Imported once by the fork server, before any kernel is forked.
PRELOAD = ("numpy", "scipy.special", "scipy.stats", "torch", "sklearn.datasets",
           "sklearn.model_selection", "actlib", "actlib.nn", "actlib.nn.autograd",
           "actlib.teaching.checks", "actlib.teaching.data", "actlib.teaching.models",
           "actlib.teaching.training", "actlib.teaching.report", "actlib.teaching.stats",
           "IPython", "ipykernel.kernelapp")


# ---------------------------------------------------------------------------------------
# The server: python -m actlib.teaching.checks.forkserver
# ---------------------------------------------------------------------------------------

def _reap(signum, frame):
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _child(request: dict) -> None:
    """In the forked child: become the kernel the request describes. Never returns."""
    code = 1
    try:
        os.setsid()                                  # its own process group, like a spawned kernel
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        extra = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
        sys.path[:] = [*extra, *(p for p in _BASE_PATH if p not in extra)]
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=request["argv"])
        code = 0
    finally:
        os._exit(code)


#: The interpreter's own sys.path, without the server's working directory and PYTHONPATH:
#: each kernel puts its own PYTHONPATH in front of it.
_BASE_PATH: list[str] = []


def serve() -> None:
    """Import :data:`PRELOAD`, then fork a kernel for every JSON request read from stdin
    (``{"argv": [...], "cwd": ..., "env": {...}}``), answering ``{"pid": ...}`` on stdout.
    Ends when stdin closes."""
    own = {p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
    _BASE_PATH[:] = [p for p in sys.path if p not in own and p not in ("", ".", os.getcwd())]
    for name in PRELOAD:
        importlib.import_module(name)
    assert "matplotlib.pyplot" not in sys.modules
    assert threading.active_count() == 1
    signal.signal(signal.SIGCHLD, _reap)
    out = sys.stdout
    print(json.dumps({"ready": True}), file=out, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        print(json.dumps({"pid": pid}), file=out, flush=True)


# ---------------------------------------------------------------------------------------
# The client side: a kernel manager that launches through the server
# ---------------------------------------------------------------------------------------

class _Server:
    """The fork server of this process, started on first use."""

    _instance = None
    _lock = threading.Lock()

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        ready = self.proc.stdout.readline()
        if not ready:
            raise RuntimeError("the kernel fork server did not start")

    @classmethod
    def get(cls) -> _Server:
        with cls._lock:
            if cls._instance is None or cls._instance.proc.poll() is not None:
                cls._instance = cls()
            return cls._instance

    @classmethod
    def stop(cls) -> None:
        """Close the server's input (it exits) and wait for it, so that its CPU time and its
        kernels' are accounted to this process."""
        with cls._lock:
            if cls._instance is not None:
                cls._instance.proc.stdin.close()
                cls._instance.proc.wait(timeout=60)
                cls._instance = None

    def fork(self, argv, cwd, env) -> int:
        with self._lock:
            self.proc.stdin.write(json.dumps({"argv": argv, "cwd": cwd, "env": env}) + "\n")
            self.proc.stdin.flush()
            return int(json.loads(self.proc.stdout.readline())["pid"])


class _ForkedProcess:
    """What jupyter_client expects of a ``Popen``, for a kernel the fork server started."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout=None):
        import time

        start = time.monotonic()
        while self.poll() is None:
            if timeout is not None and time.monotonic() - start > timeout:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum):
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


def stop_server() -> None:
    """Stop this process's fork server, if it started one."""
    _Server.stop()


class ForkProvisioner(LocalProvisioner):
    """Launch the kernel through the fork server instead of a new interpreter."""

    async def launch_kernel(self, cmd, **kwargs):
        try:
            start = cmd.index("ipykernel_launcher") + 1
        except ValueError:       # not an ipykernel command line: launch it the usual way
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = _Server.get().fork(list(cmd[start:]), cwd, env)
        self.process = _ForkedProcess(pid)
        self.pid, self.pgid, self.cwd = pid, pid, cwd
        return self.connection_info


class ForkKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels come from the fork server."""

    async def _async_pre_start_kernel(self, **kw):
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
        if self.provisioner is None:
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id,
                                               kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


if __name__ == "__main__":
    serve()
