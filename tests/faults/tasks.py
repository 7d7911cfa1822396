"""A task for the fault tests only (loaded with ``celery worker --include``)."""

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task
def record_and_linger_task(path: str, seconds: float) -> None:
    """Write this pool process's id to ``path``; linger on the first run only, so a killed
    first run shows, and a redelivered one finishes."""
    runs = Path(path)
    first = not runs.exists()
    with runs.open("a") as out:
        out.write(f"{os.getpid()}\n")
    if first:
        time.sleep(seconds)
    with runs.open("a") as out:
        out.write("done\n")
