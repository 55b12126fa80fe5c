"""SQLAlchemy models (typed, SQLAlchemy 2.0 style). Tables are singular; timestamps are UTC."""
from engine.models.audit import AuditEvent, AuditHead
from engine.models.ballots import Ballot, BallotEnvelope, BallotVote, BallotVoter, PaperCount, RuleSet
from engine.models.drafts import ProcessDraft
from engine.models.files import ApiToken, Attachment
from engine.models.instances import InstanceStatus, MessageWait, ProcessInstance, Timer
from engine.models.limits import RateCounter
from engine.models.notifications import Notification
from engine.models.opinions import DeputyCode, Opinion, OpinionChannel, OpinionPhoto
from engine.models.org import CommitteeOffice, Department, DeputyProfile, MemberProfile, ObserverUnit
from engine.models.processes import ProcessVersion
from engine.models.publications import Publication
from engine.models.tasks import HumanTask, HumanTaskCandidate, TaskState
from engine.models.term_plan import TermPlan, TermPlanRow
from engine.models.users import Group, User, user_group

__all__ = [
    "ApiToken", "Attachment", "AuditEvent", "Ballot", "BallotEnvelope", "BallotVote", "BallotVoter", "PaperCount",
    "RuleSet", "AuditHead", "Group", "HumanTask", "HumanTaskCandidate", "InstanceStatus",
    "MessageWait", "ProcessDraft", "ProcessInstance", "ProcessVersion", "TaskState", "Timer", "User", "user_group",
    "DeputyCode", "Opinion", "OpinionChannel", "OpinionPhoto",
    "CommitteeOffice", "Department", "DeputyProfile", "MemberProfile", "ObserverUnit", "TermPlan", "TermPlanRow",
    "Publication", "RateCounter", "Notification",
]
