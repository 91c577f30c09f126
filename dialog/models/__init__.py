"""All models, importable from one place. Each feature's tables live in their own module."""

from . import api, documents, invitations, notifications  # noqa: F401,E402
from .accounts import ROLE_TARGETS, LoginAttempt, Role, ScopeTarget, User, UserScope  # noqa: F401
from .audit import AuditEntry  # noqa: F401
from .dialogues import (  # noqa: F401
    NOT_PLANNED_LABEL,
    Attendance,
    Dialogue,
    DialogueStatus,
    Participant,
    ResponseStatus,
    Side,
)
from .findings import (  # noqa: F401
    Action,
    ActionNote,
    ActionReview,
    ActionStatus,
    Area,
    EscalationAck,
    EscalationLevel,
    Finding,
    FindingKind,
    Party,
    PlanArea,
    PlanAreaKind,
)
from .oidc import GroupGrant, GroupMapping, GroupMappingLock, OidcIdentity  # noqa: F401
from .registers import (  # noqa: F401
    CareHome,
    Contact,
    ContactRole,
    HealthCentre,
    Municipality,
    Operator,
    Region,
)
from .settings import RegionSettings  # noqa: F401
from .steering import (  # noqa: F401
    Assignment,
    AssignmentReport,
    AssignmentStatus,
    BasisFigure,
    LocalAgreement,
    MaterialSettings,
    Measure,
    PlanText,
)
from .tallies import FindingTally, RecurringTally  # noqa: F401
from .topics import Topic  # noqa: F401
