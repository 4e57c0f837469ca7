"""The audit records: sign-ins, failed sign-ins, refused and throttled requests (AuditEvent);
every case read, change and export (CaseAccess). Neither can be changed or deleted: the
application refuses, and on PostgreSQL the database refuses too."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from cases.models import AccessAction, CaseAccess
from infra.models import AppendOnlyError, AuditEvent, AuditKind
from tests.cases.factories import CaseConsentFactory, CaseEventFactory, CaseFactory
from tests.pilots.factories import PASSWORD, UserFactory
from tests.test_permission_matrix import _any_kwargs, case_page_names

LOGIN = reverse("account_login")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the trigger exists on PostgreSQL only (CI sets DATABASE_URL to PostgreSQL)",
)


def events(kind):
    return AuditEvent.objects.filter(kind=kind)


# --- What is recorded -----------------------------------------------------------------------------


def test_a_sign_in_is_recorded_with_the_address(client, member_a):
    client.post(LOGIN, {"login": member_a.email, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    (event,) = events(AuditKind.LOGIN)
    assert event.user == member_a
    assert event.user_email == member_a.email
    assert event.ip == "10.1.2.3"


def test_a_failed_sign_in_is_recorded_without_the_password(client, member_a):
    client.post(LOGIN, {"login": member_a.email, "password": "guess-1234"})
    client.post(LOGIN, {"login": "nobody@example.org", "password": "guess-1234"})
    failed = events(AuditKind.LOGIN_FAILED)
    assert sorted(failed.values_list("user_email", flat=True)) == sorted(
        [member_a.email, "nobody@example.org"]
    )
    assert not events(AuditKind.LOGIN).exists()
    assert "guess-1234" not in str(list(failed.values()))


def test_a_sign_out_is_recorded(client_for, member_a):
    client_for(member_a).post(reverse("account_logout"))
    assert events(AuditKind.LOGOUT).get().user == member_a


def test_another_sites_page_is_recorded_as_refused(client_for, member_b, site_a):
    case = CaseFactory(site=site_a)
    url = reverse("cases:case_detail", kwargs={"site_slug": site_a.slug, "pk": case.pk})
    assert client_for(member_b).get(url).status_code == 404
    event = events(AuditKind.REFUSED).get()
    assert (event.user, event.status, event.path, event.method) == (member_b, 404, url, "GET")
    assert not CaseAccess.objects.exists()  # nothing was read


def test_a_forbidden_page_is_recorded_as_refused(client_for, member_a):
    assert client_for(member_a).get(reverse("pilots:registration_list")).status_code == 403
    assert events(AuditKind.REFUSED).get().status == 403


def test_a_mistyped_address_outside_the_sites_is_not_noise(client_for, member_a):
    assert client_for(member_a).get("/no-such-page/").status_code == 404
    assert not events(AuditKind.REFUSED).exists()


def test_a_throttled_request_is_recorded(client, db):
    statuses = [
        client.post(LOGIN, {"login": f"x{i}@example.org", "password": "x"}).status_code
        for i in range(31)
    ]
    assert 429 in statuses
    assert events(AuditKind.THROTTLED).filter(status=429, path=LOGIN).exists()


# The form for a new case shows no case yet: nothing read, nothing to record until it is saved.
@pytest.mark.parametrize("name", sorted(set(case_page_names()) - {"cases:case_create"}))
def test_every_case_page_records_who_read_it(name, client_for, lead_a, site_a):
    """Every view that is a case page (found through its class, as the matrix does) writes a
    line for the person, and tells the browser not to keep the page."""
    case = CaseFactory(site=site_a)
    event = CaseEventFactory(case=case)
    consent = CaseConsentFactory(case=case)
    params = set(_any_kwargs(name))
    kwargs = {"site_slug": site_a.slug}
    if "pk" in params:
        kwargs["pk"] = case.pk
    if "event_pk" in params:
        kwargs["event_pk"] = event.pk
    if "consent_pk" in params:
        kwargs["consent_pk"] = consent.pk
    client = client_for(lead_a)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})  # for the exports
    before = CaseAccess.objects.filter(user=lead_a).count()
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, name
    assert CaseAccess.objects.filter(user=lead_a).count() > before, name
    assert "no-store" in response["Cache-Control"], name


def test_an_export_is_recorded_as_an_export(client_for, lead_a, site_a):
    CaseFactory(site=site_a)
    client = client_for(lead_a)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("cases:case_export", kwargs={"site_slug": site_a.slug}))
    assert CaseAccess.objects.filter(user=lead_a, action=AccessAction.EXPORTED).count() == 1


# --- Nothing recorded can be changed: the application's guard (SQLite and PostgreSQL) -------------


def test_the_application_refuses_to_change_or_delete_a_security_event(member_a):
    event = AuditEvent.objects.create(kind=AuditKind.LOGIN, user=member_a)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(kind=AuditKind.LOGOUT)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).kind == AuditKind.LOGIN


def test_the_application_refuses_to_change_or_delete_a_case_access(site_a, member_a):
    from cases.models.audit import AppendOnlyError as CaseAppendOnlyError

    case = CaseFactory(site=site_a)
    access = CaseAccess.objects.create(
        site=site_a,
        case=case,
        case_code=case.code,
        user=member_a,
        user_email=member_a.email,
        action=AccessAction.VIEWED,
    )
    for attempt in (
        access.save,
        access.delete,
        lambda: CaseAccess.objects.filter(pk=access.pk).update(user_email="x@example.org"),
        lambda: CaseAccess.objects.all().delete(),
    ):
        with pytest.raises(CaseAppendOnlyError):
            attempt()


# --- ... and the database's (PostgreSQL) -------------------------------------------------------


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def both_records(site_a, member_a):
    event = AuditEvent.objects.create(kind=AuditKind.LOGIN, user=member_a, user_email="a@b.se")
    case = CaseFactory(site=site_a)
    access = CaseAccess.objects.create(
        site=site_a,
        case=case,
        case_code=case.code,
        user=member_a,
        user_email=member_a.email,
        action=AccessAction.VIEWED,
    )
    return [("pilots_auditevent", event.pk), ("cases_caseaccess", access.pk)]


@on_postgresql
def test_postgresql_refuses_raw_updates_and_deletes_of_the_audit_records(both_records):
    for table, pk in both_records:
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"UPDATE {table} SET user_email = 'someone@else.se' WHERE id = %s", [pk])
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"DELETE FROM {table} WHERE id = %s", [pk])
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"UPDATE {table} SET user_id = NULL, user_email = '' WHERE id = %s", [pk])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE id = %s", [pk])
            assert cursor.fetchone() == (1,)


@on_postgresql
def test_postgresql_lets_the_retention_task_delete(both_records):
    from cases.retention import audit_deletes_allowed

    event_pk = both_records[0][1]
    with audit_deletes_allowed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM pilots_auditevent WHERE id = %s", [event_pk])
    assert not AuditEvent.objects.filter(pk=event_pk).exists()
    # The door closes again behind it, even inside a longer transaction.
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM cases_caseaccess WHERE id = %s", [both_records[1][1]])


@on_postgresql
def test_postgresql_lets_a_deleted_persons_lines_keep_their_copied_email(both_records, member_a):
    email = member_a.email
    with transaction.atomic():
        from pilots.models import Membership

        Membership.objects.filter(user=member_a).delete()
        member_a.delete()
    event = AuditEvent.objects.get(pk=both_records[0][1])
    access = CaseAccess.objects.get(pk=both_records[1][1])
    assert event.user_id is None and access.user_id is None
    assert access.user_email == email


def test_a_person_with_audit_lines_can_still_be_deleted(both_records, member_a):
    """On every database: ON DELETE SET NULL is the one change allowed to a line."""
    from pilots.models import Membership

    Membership.objects.filter(user=member_a).delete()
    member_a.delete()
    assert CaseAccess.objects.get(pk=both_records[1][1]).user_email
    assert UserFactory._meta.model.objects.filter(pk=member_a.pk).count() == 0


def test_staff_read_the_security_record_in_the_admin_and_cannot_change_it(client, member_a):
    staff = UserFactory(is_staff=True, is_superuser=True)
    event = AuditEvent.objects.create(kind=AuditKind.LOGIN, user=member_a, user_email="m@a.se")
    client.force_login(staff)
    assert client.get(reverse("admin:infra_auditevent_changelist")).status_code == 200
    page = client.get(reverse("admin:infra_auditevent_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:infra_auditevent_add")).status_code == 403
    response = client.post(
        reverse("admin:infra_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_wrong_two_factor_code_is_recorded(client, member_a):
    from tests.test_mfa import with_totp

    with_totp(member_a)
    client.post(LOGIN, {"login": member_a.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    event = events(AuditKind.MFA_FAILED).get()
    assert event.user == member_a and event.detail["type"] == "totp"
    assert not events(AuditKind.LOGIN).exists()


def test_turning_two_factor_off_is_recorded(client, member_a):
    from tests.test_mfa import totp_code, with_totp

    secret, _ = with_totp(member_a)
    client.post(LOGIN, {"login": member_a.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))
    assert events(AuditKind.MFA_CHANGED).filter(user=member_a).exists()
