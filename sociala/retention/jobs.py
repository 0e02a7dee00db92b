"""Starting the culling job outside the request (the pattern of ``finance.jobs``).

``SOCIALA_RETENTION_JOB_RUNNER``: ``subprocess`` (the default) starts ``manage.py run_culling <id>``
as a detached process, output appended to ``var/logs/culling-run-<id>.log``; ``inline`` runs the job
in the calling process (scripts and tests); ``none`` does nothing (a test starts the job itself).
"""

from __future__ import annotations

import logging
import subprocess  # noqa: S404 - starts our own management command with fixed arguments
import sys
import threading
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


def launch_culling_run(run_id: int) -> None:
    """Start the job for a culling run in the configured way."""
    runner = getattr(settings, "SOCIALA_RETENTION_JOB_RUNNER", "subprocess")
    if runner == "none":
        return
    if runner == "inline":
        from .services.culling import execute_culling_run

        try:
            execute_culling_run(run_id)
        except Exception:  # the failure is recorded on the run; the caller's request goes on
            logger.exception("culling run %s failed", run_id)
        return
    log_dir = Path(settings.VAR_DIR) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "run_culling", str(int(run_id))]
    with open(log_dir / f"culling-run-{int(run_id)}.log", "ab") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed command, no shell, the id is an int
            command,
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    threading.Thread(target=process.wait, name=f"culling-run-{run_id}", daemon=True).start()
