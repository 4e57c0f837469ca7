"""Tasks every app uses: sending one rendered e-mail. The task is defined in infra.mail, next to
the code that renders and queues it; it is imported here so the worker's autodiscovery, which
reads each app's tasks module, registers it."""

from .mail import send_email

__all__ = ["send_email"]
