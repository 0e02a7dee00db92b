"""Start panva's oidc-provider (npm) as a real OpenID Provider on a free localhost port."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
PROJECT_ROOT = Path(__file__).resolve().parents[3]


@dataclass
class RunningOP:
    issuer: str
    process: subprocess.Popen
    output: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_op(*, clients: list[dict], users: dict, timeout: float = 30) -> RunningOP:
    """Run the provider with these clients and users; returns when it answers."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError(
            "node is not installed: `make setup` installs the project's npm packages and needs it"
        )
    config_dir = Path(tempfile.mkdtemp(prefix="sociala-op-"))
    config_file = config_dir / "config.json"
    config_file.write_text(json.dumps({"port": 0, "clients": clients, "users": users}), encoding="utf-8")
    process = subprocess.Popen(  # noqa: S603 - fixed program and arguments
        [node, str(SCRIPT), str(config_file)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()
    issuer_box: list[str] = []

    def read():
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line.rstrip())
            if line.startswith("READY ") and not ready.is_set():
                issuer_box.append(line.split()[1])
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout) or not issuer_box:
        process.kill()
        raise RuntimeError("the test OpenID Provider did not start:\n" + "\n".join(output))
    return RunningOP(issuer=issuer_box[0], process=process, output=output)
