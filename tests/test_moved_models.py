"""A database made before invitations moved to accounts/ and the security audit to infra/
migrates cleanly: the tables keep their names and rows, and the content types follow."""

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.models import Invitation
from infra.models import AuditEvent, AuditKind
from tests.migrating import migrate, migrate_to_the_latest

BEFORE_THE_MOVE = [
    ("pilots", "0005_audit_two_factor_events"),
    ("accounts", None),
    ("infra", None),
]


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_the_move_keeps_its_invitations_and_audit_rows():
    old = migrate(BEFORE_THE_MOVE)
    # As the database stood: the models and their content types under pilots.
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldContentType.objects.filter(model__in=["invitation", "auditevent"]).delete()
    for model in ("invitation", "auditevent"):
        OldContentType.objects.create(app_label="pilots", model=model)
    OldSite, OldInvitation = (
        old.get_model("pilots", "PilotSite"),
        old.get_model("pilots", "Invitation"),
    )
    Organisation = old.get_model("pilots", "Organisation")
    site = OldSite.objects.create(
        name="Flyttby",
        slug="flyttby",
        case_code_prefix="FLY",
        municipality=Organisation.objects.create(name="Flyttby kommun", kind="municipality"),
        region=Organisation.objects.create(name="Region Flytt", kind="region"),
    )
    OldInvitation.objects.create(
        email="kvar@example.org", role="working", site=site, token_digest="d" * 64
    )
    old.get_model("pilots", "AuditEvent").objects.create(
        kind=AuditKind.LOGIN, user_email="kvar@example.org", path="/"
    )

    migrate_to_the_latest()

    invitation = Invitation.objects.get(email="kvar@example.org")
    assert invitation.site.slug == "flyttby" and invitation.role == "working"
    assert invitation.expires_at is not None  # the moved default, through the pilots shim
    assert AuditEvent.objects.filter(user_email="kvar@example.org", kind=AuditKind.LOGIN).exists()
    moved = ContentType.objects.filter(model__in=["invitation", "auditevent"])
    assert sorted(moved.values_list("app_label", "model")) == [
        ("accounts", "invitation"),
        ("infra", "auditevent"),
    ]
    ContentType.objects.clear_cache()
