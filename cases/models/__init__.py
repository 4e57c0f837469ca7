"""Practical tests (PDSA cycles), the pseudonymous case log with its audit record, vignettes
and general interventions (PALS, YAM) — all scoped to a pilot site."""

from .audit import AppendOnlyError, CaseAccess
from .cases import Case, CaseChange, CaseConsent, CaseEvent
from .choices import (
    AccessAction,
    ChangeKind,
    Closure,
    Comparator,
    Concern,
    ConsentGivenBy,
    ConsentStatus,
    Decision,
    EventKind,
    Fidelity,
    InterventionStatus,
    Level,
    Outcome,
    PredictedMeasure,
    RaisedBy,
    ReferralTo,
    SchoolYear,
    StaffRole,
    Stage,
    StartingPoint,
)
from .interventions import (
    FidelityCheck,
    FidelityItem,
    Intervention,
    InterventionProgramme,
    InterventionSession,
)
from .practical_tests import NEXT_STAGE, STEP_FIELDS, PracticalTest
from .retention import RetentionRecord
from .review import AccessReview, AccessReviewItem, SampleReason, Verdict
from .vignettes import Vignette, VignetteResponse, VignetteStage

__all__ = [
    "NEXT_STAGE",
    "STEP_FIELDS",
    "AccessAction",
    "AccessReview",
    "AccessReviewItem",
    "AppendOnlyError",
    "Case",
    "CaseAccess",
    "CaseChange",
    "CaseConsent",
    "CaseEvent",
    "ChangeKind",
    "Closure",
    "Concern",
    "ConsentGivenBy",
    "ConsentStatus",
    "Comparator",
    "Decision",
    "PredictedMeasure",
    "EventKind",
    "Fidelity",
    "FidelityCheck",
    "FidelityItem",
    "Intervention",
    "InterventionProgramme",
    "InterventionSession",
    "InterventionStatus",
    "Level",
    "Outcome",
    "PracticalTest",
    "RaisedBy",
    "ReferralTo",
    "RetentionRecord",
    "SampleReason",
    "SchoolYear",
    "StaffRole",
    "Stage",
    "StartingPoint",
    "Verdict",
    "Vignette",
    "VignetteResponse",
    "VignetteStage",
]
