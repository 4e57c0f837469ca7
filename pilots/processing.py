"""What the "What Triad processes" page says about retention, read from where the retention job
reads it (cases.retention), so the page cannot drift from what happens."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Retention:
    default_case_days: int
    access_log_years: int
    programmes: list  # (name, days), the programmes the reader may see


def retention_for(user) -> Retention:
    from cases import retention
    from workshops.models import Programme

    programmes = (
        Programme.objects.restrict(user) if user.is_authenticated else Programme.objects.none()
    )
    return Retention(
        default_case_days=retention.default_case_retention_days(),
        access_log_years=retention.access_log_years(),
        programmes=[(p.name, retention.case_retention_of(p)) for p in programmes.order_by("name")],
    )
