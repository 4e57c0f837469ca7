"""The enumerations of practical tests, cases, vignettes and general interventions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The four starting points are the programme's, served by activities of several apps.
from pilots.models.starting_points import StartingPoint  # noqa: F401 - re-exported


class Stage(models.TextChoices):
    """Where a practical test is in its PDSA cycle (PGSA: planera–göra–studera–agera)."""

    PLAN = "plan", _("Plan")
    DO = "do", _("Do")
    STUDY = "study", _("Study")
    ACT = "act", _("Act")
    DONE = "done", _("Completed")


class Decision(models.TextChoices):
    """What the site decided when the cycle was studied."""

    ADOPT = "adopt", _("Adopt: make it the way we work")
    ADAPT = "adapt", _("Adapt: change it and test again")
    ABANDON = "abandon", _("Abandon: stop and try something else")


class PredictedMeasure(models.TextChoices):
    """What a practical test's prediction is about, in figures computed from its cases (the
    measures of dashboards.measures)."""

    RESOLVED = "resolved", _("resolved at the first line (of the cases taken)")
    SELF = "self", _("raised by the child themself (of the cases taken)")
    CONSENT = "consent", _("with consent to share with another actor (of the cases taken)")
    DAYS = "days", _("median days from first contact to first intervention")


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")


class SchoolYear(models.IntegerChoices):
    """The child's school year (årskurs)."""

    F = 0, _("Preschool class")
    Y1 = 1, _("Year 1")
    Y2 = 2, _("Year 2")
    Y3 = 3, _("Year 3")
    Y4 = 4, _("Year 4")
    Y5 = 5, _("Year 5")
    Y6 = 6, _("Year 6")
    Y7 = 7, _("Year 7")
    Y8 = 8, _("Year 8")
    Y9 = 9, _("Year 9")
    GY1 = 10, _("Upper secondary year 1")
    GY2 = 11, _("Upper secondary year 2")
    GY3 = 12, _("Upper secondary year 3")


class RaisedBy(models.TextChoices):
    """Who first raised the concern."""

    CHILD = "child", _("The child or young person themself")
    GUARDIAN = "guardian", _("A guardian")
    SCHOOL_STAFF = "school_staff", _("School staff")
    STUDENT_HEALTH = "student_health", _("Student health")
    SOCIAL = "social", _("Social services")
    HEALTH = "health", _("Healthcare")
    OTHER = "other", _("Other")


class Concern(models.TextChoices):
    """Broad categories of what a case is about; several may apply."""

    WORRY = "worry", _("Worry or anxiety")
    LOW_MOOD = "low_mood", _("Low mood")
    STRESS = "stress", _("Stress or performance pressure")
    SLEEP = "sleep", _("Sleep")
    ABSENCE = "absence", _("School absence")
    RELATIONS = "relations", _("Peer relations or bullying")
    FAMILY = "family", _("Family situation")
    BEHAVIOUR = "behaviour", _("Behaviour or conflicts")
    SOMATIC = "somatic", _("Physical complaints (stomach ache, headache)")
    SELF_HARM = "self_harm", _("Self-harm")
    EATING = "eating", _("Eating")
    SUBSTANCES = "substances", _("Alcohol, drugs or gaming")
    NEURODEVELOPMENTAL = "neurodevelopmental", _("Questions of neurodevelopmental difficulties")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    """Whether a contact or intervention was with one child or with a group."""

    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class EventKind(models.TextChoices):
    """What happened at one point of a case's timeline."""

    CONTACT = "contact", _("First or follow-up contact")
    CONVERSATION = "conversation", _("Supportive conversation")
    ASSESSMENT = "assessment", _("Assessment")
    GUARDIAN_MEETING = "guardian_meeting", _("Meeting with guardians")
    CONSULTATION = "consultation", _("Consultation between actors")
    JOINT_MEETING = "joint_meeting", _("Joint meeting of the actors")
    INTERVENTION = "intervention", _("Intervention")
    GROUP_INTERVENTION = "group_intervention", _("Group intervention")
    SIP_MEETING = "sip_meeting", _("SIP meeting")
    FOLLOW_UP = "follow_up", _("Follow-up")
    OTHER = "other", _("Other")

    @classmethod
    def interventions(cls):
        """The kinds that count as an intervention (for days to first intervention)."""
        return {cls.CONVERSATION, cls.INTERVENTION, cls.GROUP_INTERVENTION, cls.SIP_MEETING}


class ConsentStatus(models.TextChoices):
    """Whether consent to share information with an actor was asked for and given."""

    NOT_ASKED = "not_asked", _("Not asked")
    GIVEN = "given", _("Given")
    DECLINED = "declined", _("Declined")
    # Given, then withdrawn by the child or guardian: no longer counted as given.
    WITHDRAWN = "withdrawn", pgettext_lazy("consent", "Withdrawn")


class ConsentGivenBy(models.TextChoices):
    CHILD = "child", _("The child or young person")
    GUARDIAN = "guardian", _("Guardian")
    BOTH = "both", _("Child and guardian")


class StaffRole(models.TextChoices):
    """A staff role, never a person: who asked for consent."""

    SCHOOL_NURSE = "school_nurse", _("School nurse")
    COUNSELLOR = "counsellor", _("School counsellor")
    PSYCHOLOGIST = "psychologist", _("School psychologist")
    SCHOOL_DOCTOR = "school_doctor", _("School doctor")
    SPECIAL_EDUCATOR = "special_educator", _("Special educator")
    TEACHER = "teacher", _("Teacher or mentor")
    PRINCIPAL = "principal", _("Principal")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    HEALTHCARE = "healthcare", _("Healthcare staff")
    OTHER = "other", _("Other")


class Closure(models.TextChoices):
    """How a case ended."""

    RESOLVED = "resolved", _("Resolved at the first line")
    REFERRED = "referred", _("Referred onward")


class ReferralTo(models.TextChoices):
    """Where a case was referred onward."""

    CAMHS = "camhs", _("Child and adolescent psychiatry (BUP)")
    PRIMARY_CARE = "primary_care", _("Primary care")
    YOUTH_CLINIC = "youth_clinic", _("Youth clinic")
    SOCIAL_INVESTIGATION = "social_investigation", _("Social-services investigation")
    HABILITATION = "habilitation", _("Habilitation")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    """How things stood for the child when the case closed, as the staff judged it."""

    IMPROVED = "improved", _("Improved")
    UNCHANGED = "unchanged", _("Unchanged")
    WORSE = "worse", _("Worse")
    UNKNOWN = "unknown", _("Not known")


class InterventionStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    RUNNING = "running", _("Running")
    # Contexts: an intervention (en insats) is "genomförd", "pausad"; a test is "genomfört".
    COMPLETED = "completed", pgettext_lazy("intervention status", "Completed")
    PAUSED = "paused", pgettext_lazy("intervention status", "Paused")


class Fidelity(models.TextChoices):
    """How well one point of a programme's fidelity checklist is met."""

    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class ChangeKind(models.TextChoices):
    """What kind of change a case's history entry records."""

    CREATED = "created", _("Logged")
    CHANGED = "changed", _("Changed")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    EVENT_ADDED = "event_added", _("Timeline entry added")
    EVENT_CHANGED = "event_changed", _("Timeline entry changed")
    EVENT_REMOVED = "event_removed", _("Timeline entry removed")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")


class AccessAction(models.TextChoices):
    """What a person did with a case, for the audit record."""

    LISTED = "listed", _("Saw in a list")
    VIEWED = "viewed", _("Opened")
    CREATED = "created", _("Logged")
    CHANGED = "changed", _("Changed")
    EXPORTED = "exported", _("Exported")
    LOG_VIEWED = "log_viewed", _("Read the access log")
    LOG_EXPORTED = "log_exported", _("Downloaded the access log")
