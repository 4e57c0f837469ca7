"""A test-only e-mail backend for the worker drills: each send takes a while (so a kill lands in
the middle of one) and is written to a file as it starts and as the 'mail server' accepts it."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


def _append(line: str) -> None:
    with open(os.environ["TRIAD_DRILL_MAIL_LOG"], "a") as log:
        log.write(line + "\n")
        log.flush()
        os.fsync(log.fileno())


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        for message in messages:
            _append(f"begin {message.to[0]}")
            time.sleep(float(os.environ.get("TRIAD_DRILL_MAIL_SECONDS", "1")))
            _append(f"sent {message.to[0]}")
        return len(messages)
