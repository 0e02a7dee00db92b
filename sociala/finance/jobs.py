"""Starting the payment-run job outside the request (until the project adopts django-tasks).

``subprocess`` (the default) starts ``manage.py run_payment_run <id>`` as a detached process in
its own session, with the same interpreter and environment, output appended to
``var/logs/payment-run-<id>.log``. A daemon thread waits for it, so no zombie is left behind. The
run's state lives in the database; the process only needs the id. ``inline`` runs the job in the
calling process (scripts and tests); ``none`` does nothing (a test starts the job itself).
"""

from __future__ import annotations

import logging
import subprocess  # noqa: S404 - starts our own management command with fixed arguments
import sys
import threading
from pathlib import Path

from django.conf import settings

from .conf import finance_config

logger = logging.getLogger(__name__)


def launch_payment_run(run_id: int) -> None:
    """Start the job for a payment run in the configured way."""
    runner = finance_config().job_runner
    if runner == "none":
        return
    if runner == "inline":
        from .services import execute_payment_run

        try:
            execute_payment_run(run_id)
        except Exception:  # the failure is recorded on the run; the caller's request goes on
            logger.exception("payment run %s failed", run_id)
        return
    log_dir = Path(settings.VAR_DIR) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "run_payment_run",
        str(int(run_id)),
    ]
    with open(log_dir / f"payment-run-{int(run_id)}.log", "ab") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed command, no shell, the id is an int
            command,
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    threading.Thread(target=process.wait, name=f"payment-run-{run_id}", daemon=True).start()
