"""The identity-number guard in every free-text field, as one mechanism.

Which fields: every text field of every model and every form class of Triad's own apps (the
apps whose code lives in this repository: infra, pilots, accounts, cases, workshops,
dashboards, exchange — allauth's tables, sessions and the admin log are not ours). A text
field is a CharField (with EmailField and SlugField), TextField, JSONField (every key and
string in it) or FileField (the file's name) on a model; a CharField (or any field with a text
input or textarea) or FileField on a form. Each carries infra.pnr's validator unless it is on
the allow-list below, which says why.

How: InfraConfig.ready() calls `guard_models()` and `guard_forms()`.

- A model field gets the validator in its `validators` list, as Django itself adds a
  CharField's MaxLengthValidator: not in the arguments a migration records, so guarding a
  field never asks for a migration. Model validators run in every ModelForm (and in the
  admin), through Model.full_clean().
- A form class gets the validator on each of its declared fields, and its `__init__` is wrapped
  so that fields a form adds while it is made (one per plan section, one note per fidelity
  item) get it too. Form classes are found in each app's `forms` module or package.

`check_guard`, a Django system check, walks every model field and every form class's fields
and names each text field that lacks the guard and is not on the allow-list;
tests/security/test_pnr_guard.py runs it and also walks the forms of every page."""

import functools
import importlib
import importlib.util
import pkgutil
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .pnr import PersonalNumberValidator, validate_no_personal_number

# --- The allow-list ---------------------------------------------------------------------------

# By kind, for models and forms alike:
# - a field with choices holds one of Triad's own values, never what someone typed;
# - a URL: meeting links carry long numeric ids (a ten-digit Zoom id can have the digits of a
#   valid number) that nobody could write differently;
# - a password field: a password is never stored, only its hash (pilots.User.password below).
#
# By name, model fields whose text no person types, so the guard would protect nothing there
# and could only mistake random characters for a number:
ALLOWED_MODEL_FIELDS = {
    "pilots.User.password": "a password hash",
    "pilots.InterestRegistration.follow_token_digest": "a digest of a secret link's token",
    "accounts.Invitation.token_digest": "a digest of an invitation's token",
    "workshops.CalendarFeed.token_digest": "a digest of a calendar feed's token",
    "cases.Case.code": "made by Triad: the site's prefix, the year and a serial number",
    "workshops.SentReminder.occasion": "a key made by Triad, e.g. w12 or d4-s7",
    "dashboards.SentDigest.week": "an ISO week made by Triad, e.g. 2018-W37",
    "exchange.DigestSent.period": "a period made by Triad, e.g. d2018-09-03",
    # The append-only audit records: written only by code, at one place each, which keeps the
    # page without its query string and masks any number in it and in a tried address
    # (infra/audit.py `recorded_path`, cases/audit.py). The rest are copies of guarded fields.
    "infra.AuditEvent.user_email": "the address tried at a failed sign-in, masked when written",
    "infra.AuditEvent.method": "the request's HTTP method",
    "infra.AuditEvent.path": "the page, without its query string and masked when written",
    "infra.AuditEvent.site_slug": "a copy of the site's (guarded) slug",
    "infra.AuditEvent.detail": "details made by Triad (the kind of authenticator, a count)",
    "cases.CaseAccess.case_code": "a copy of the case's code",
    "cases.CaseAccess.user_email": "a copy of the person's (guarded) e-mail address",
    "cases.CaseAccess.user_name": "a copy of the person's (guarded) name",
    "cases.CaseAccess.path": "the page, without its query string and masked when written",
}
# By name, form fields (module.Class.field) that are not stored as text anywhere. None today.
ALLOWED_FORM_FIELDS: dict[str, str] = {}

# Not form classes of ours: django-filter builds each FilterSet's form class itself. Filters
# are search criteria, never stored, and the page they are in is recorded without its query
# string.

TEXT_MODEL_TYPES = {
    "CharField",
    "TextField",
    "JSONField",
    "FileField",
    "ImageField",
    "FilePathField",
    "SlugField",
    "EmailField",
    "URLField",
}
NON_TEXT_FORM_FIELDS = (
    forms.BooleanField,
    forms.ChoiceField,
    forms.DateField,
    forms.DateTimeField,
    forms.DecimalField,
    forms.DurationField,
    forms.FloatField,
    forms.IntegerField,
    forms.ModelChoiceField,
    forms.MultiValueField,
    forms.TimeField,
)


# --- Which apps, models and form classes ---------------------------------------------------------


def our_app_configs():
    """The apps whose code is in this repository (not installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    ours = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.relative_to(base).parts:
            ours.append(config)
    return ours


@functools.cache
def our_app_names():
    return {config.name for config in our_app_configs()}


def is_ours(cls) -> bool:
    return cls.__module__.split(".")[0] in our_app_names()


def model_text_fields():
    """(label, field) of every text column of every model of our apps, each field once."""
    for config in our_app_configs():
        for model in config.get_models():
            if model._meta.proxy:
                continue
            for field in model._meta.local_fields:
                if is_text_model_field(field):
                    yield f"{model._meta.label}.{field.name}", field


def is_text_model_field(field) -> bool:
    return (
        isinstance(
            field,
            models.CharField
            | models.TextField
            | models.JSONField
            | models.FileField
            | models.FilePathField,
        )
        or field.get_internal_type() in TEXT_MODEL_TYPES
    )


def model_field_allowed(label, field) -> str | None:
    """Why a model field carries no guard, or None if it must."""
    if label in ALLOWED_MODEL_FIELDS:
        return ALLOWED_MODEL_FIELDS[label]
    if field.choices:
        return "one of Triad's choices"
    if isinstance(field, models.URLField):
        return "a link"
    return None


def is_guarded_by(validator) -> bool:
    return isinstance(validator, PersonalNumberValidator)


def is_guarded(field) -> bool:
    return any(is_guarded_by(v) for v in field.validators)


def import_form_modules():
    """Each of our apps' `forms` module, or every module of its `forms` package."""
    for config in our_app_configs():
        name = f"{config.name}.forms"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{name}.{info.name}")


def our_form_classes():
    """Every form class of our apps loaded so far, parents before their subclasses."""
    found, seen, stack = [], set(), [forms.BaseForm]
    while stack:
        cls = stack.pop(0)
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                if is_ours(sub):
                    found.append(sub)
    return found


def is_text_form_field(field) -> bool:
    if isinstance(field, forms.CharField | forms.FileField):
        return True
    return isinstance(field.widget, forms.TextInput | forms.Textarea) and not isinstance(
        field, NON_TEXT_FORM_FIELDS
    )


def form_field_allowed(form_class, name, field) -> str | None:
    """Why a form field carries no guard, or None if it must."""
    label = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
    if label in ALLOWED_FORM_FIELDS:
        return ALLOWED_FORM_FIELDS[label]
    if isinstance(field.widget, forms.PasswordInput):
        return "a password"
    if isinstance(field, forms.URLField):
        return "a link"
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    if model is not None:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a form field of its own, not the model's
            return None
        return model_field_allowed(f"{model._meta.label}.{name}", model_field)
    return None


# --- Attaching it ----------------------------------------------------------------------------


def guard_models() -> int:
    """Attach the guard to every text field of our models not on the allow-list."""
    guarded = 0
    for label, field in model_text_fields():
        if model_field_allowed(label, field) is None:
            if not is_guarded(field):
                # The cached `validators` list, not the field's arguments: Django adds a
                # CharField's MaxLengthValidator the same way, and migrations never see it.
                field.validators.append(validate_no_personal_number)
            guarded += 1
    return guarded


def _guard_fields(form_class, fields):
    for name, field in fields.items():
        if (
            is_text_form_field(field)
            and not is_guarded(field)
            and form_field_allowed(form_class, name, field) is None
        ):
            field.validators.append(validate_no_personal_number)


def guard_form(form):
    """Attach the guard to the text fields a form instance has, its own additions included."""
    _guard_fields(type(form), form.fields)


def guard_form_class(form_class):
    if form_class.__dict__.get("_pnr_guarded"):
        return
    _guard_fields(form_class, form_class.base_fields)
    own = form_class.__dict__.get("__init__")

    def __init__(self, *args, **kwargs):
        if own is not None:
            own(self, *args, **kwargs)
        else:
            super(form_class, self).__init__(*args, **kwargs)
        guard_form(self)

    if own is not None:
        __init__ = functools.wraps(own)(__init__)
    form_class.__init__ = __init__
    form_class._pnr_guarded = True


def guard_forms() -> None:
    import_form_modules()
    for form_class in our_form_classes():
        guard_form_class(form_class)


# --- The check -----------------------------------------------------------------------------


def unguarded_model_fields() -> list[str]:
    return [
        label
        for label, field in model_text_fields()
        if not is_guarded(field) and model_field_allowed(label, field) is None
    ]


def unguarded_form_fields(form_class, fields=None) -> list[str]:
    """The text fields of a form class (or of one of its instances' `fields`) that lack the
    guard and are not on the allow-list."""
    fields = form_class.base_fields if fields is None else fields
    where = f"{form_class.__module__}.{form_class.__qualname__}"
    return [
        f"{where}.{name}"
        for name, field in fields.items()
        if is_text_form_field(field)
        and not is_guarded(field)
        and form_field_allowed(form_class, name, field) is None
    ]


def check_guard(app_configs=None, **kwargs):
    """Every text field of our models and form classes carries the identity-number guard."""
    errors = [
        checks.Error(
            f"{label} is a text field without the personal identity number guard.",
            hint="Add it to infra.guard.ALLOWED_MODEL_FIELDS with the reason, if it must not "
            "have one.",
            id="infra.E001",
        )
        for label in unguarded_model_fields()
    ]
    for form_class in our_form_classes():
        if not form_class.__dict__.get("_pnr_guarded"):
            errors.append(
                checks.Error(
                    f"{form_class.__module__}.{form_class.__qualname__} is a form class the "
                    "guard did not see.",
                    hint="Define form classes in the app's forms module or package.",
                    id="infra.E002",
                )
            )
        errors += [
            checks.Error(
                f"{label} is a text field without the personal identity number guard.",
                hint="Add it to infra.guard.ALLOWED_FORM_FIELDS with the reason, if it must "
                "not have one.",
                id="infra.E003",
            )
            for label in unguarded_form_fields(form_class)
        ]
    return errors
