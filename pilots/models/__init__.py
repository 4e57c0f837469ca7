"""The programme's structure: people, organisations, pilot sites with their triads and groups,
their plans and governance, and how a municipality comes in."""

from .documents import DocumentKind, PlanDocument, PlanVersion
from .governance import Action, ActionStatus, Decision, SteeringMeeting
from .intake import InterestRegistration, RegistrationNote, RegistrationStatus
from .memberships import Membership, Role
from .organisations import Actor, Organisation, OrganisationKind
from .processing import ProcessingStatement
from .sites import Phase, PhaseChange, PilotSite, School, SchoolType
from .users import User

__all__ = [
    "Action",
    "ActionStatus",
    "Actor",
    "Decision",
    "DocumentKind",
    "InterestRegistration",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "Phase",
    "PhaseChange",
    "PilotSite",
    "PlanDocument",
    "PlanVersion",
    "ProcessingStatement",
    "RegistrationNote",
    "RegistrationStatus",
    "Role",
    "School",
    "SchoolType",
    "SteeringMeeting",
    "User",
]
