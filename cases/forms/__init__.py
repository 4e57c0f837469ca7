"""Forms of practical tests, cases, vignettes and general interventions, one module each. Every
choice of a site-owned object is narrowed to the request's site; free text is guarded by the
models' validators (infra.pnr). The names are re-exported here, so `from cases.forms import …`
keeps working."""

from .cases import (
    CaseForm,
    CloseForm,
    ConsentForm,
    ConsentWithdrawalForm,
    EventForm,
    consent_forms,
)
from .fields import CheckedInlineFormSet, DateInput, SiteFormMixin
from .interventions import (
    FidelityForm,
    FidelityItemFormSet,
    InterventionForm,
    InterventionGroupFormSet,
    ProgrammeForm,
    SessionForm,
)
from .practical_tests import STEP_FORMS, ActForm, DoForm, PlanForm, StudyForm
from .review import CoordinatorReviewForm, ReviewItemForm
from .vignettes import ResponseForm, StageForm, StageFormSet, VignetteForm

__all__ = [
    "STEP_FORMS",
    "ActForm",
    "CaseForm",
    "CheckedInlineFormSet",
    "CloseForm",
    "CoordinatorReviewForm",
    "ConsentForm",
    "ConsentWithdrawalForm",
    "DateInput",
    "DoForm",
    "EventForm",
    "FidelityForm",
    "FidelityItemFormSet",
    "InterventionForm",
    "InterventionGroupFormSet",
    "PlanForm",
    "ProgrammeForm",
    "ResponseForm",
    "ReviewItemForm",
    "SessionForm",
    "SiteFormMixin",
    "StageForm",
    "StageFormSet",
    "StudyForm",
    "VignetteForm",
    "consent_forms",
]
