"""One permission policy for pages and API alike.

A user acts for one organisation at a time (their *acting membership*). A role held at a node
applies to the node's whole subtree, so "may `actor` do `action` on `org`?" is: the role grants
the action, and `org` lies in the acting organisation's subtree. Objects outside it are
answered "not found" by the `get_<thing>_for_user` selectors, never "forbidden".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError

from .models import Membership, Organisation, Role

if TYPE_CHECKING:
    from .models import User

# What each role may do within its subtree. Later capabilities add their actions here, so the
# whole policy can be read in one place.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        {
            "orgs.view", "orgs.manage", "orgs.import", "audit.view",
            "plans.view", "plans.manage", "plans.cascade", "plans.chase",
            "activities.view", "activities.report", "activities.review",
            "offers.register", "sectors.manage",
            "outreach.view", "outreach.manage", "outreach.log", "outreach.manage_team",
            "reports.view", "reports.draft", "reports.review",
            "materials.manage",
            "learning.view", "learning.manage", "learning.checkin",
            "contest.view", "contest.manage",
            "awards.view", "awards.manage",
        }
    ),
    Role.REPORTER: frozenset(
        {
            "orgs.view", "plans.view", "activities.view", "activities.report",
            "offers.register", "sectors.manage", "outreach.view", "reports.view", "reports.draft",
            "learning.view", "learning.manage", "learning.checkin", "contest.view",
        }
    ),
    Role.VIEWER: frozenset(
        {
            "orgs.view", "plans.view", "activities.view", "outreach.view", "reports.view",
            "learning.view", "contest.view", "awards.view",
        }
    ),
    Role.MODERATOR: frozenset(
        {"orgs.view", "activities.view", "activities.moderate", "offers.moderate"}
    ),
    Role.TEAM_LEADER: frozenset(
        {"orgs.view", "outreach.view", "outreach.log", "outreach.manage_team"}
    ),
    Role.TEAM_MEMBER: frozenset({"orgs.view", "outreach.log"}),
    # Staff at a festival venue: scan tickets and count walk-ins for their unit's offerings.
    Role.CHECKIN_STAFF: frozenset({"orgs.view", "learning.checkin"}),
    # A juror scores the award entries assigned to them (awards/permissions.py narrows it).
    Role.JUROR: frozenset({"awards.judge"}),
}  # fmt: skip


@dataclass(frozen=True)
class Actor:
    """A user acting for one organisation with one role.

    `token_bound` marks an actor that an API token bound to one membership (a device token)
    stands for: it acts only as that membership allows, never with the account's wider powers
    (operator, other memberships), whoever the account is.
    """

    user: User
    membership: Membership | None
    token_bound: bool = False

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation if self.membership else None

    @property
    def organisation_id(self) -> int | None:
        return self.membership.organisation_id if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def is_operator(self) -> bool:
        """Operators (superusers) run the platform and see everything, but not through a token
        bound to one membership: that token is only ever the membership."""
        if self.token_bound:
            return False
        return bool(self.user.is_active and self.user.is_superuser)

    @property
    def subtree_path(self) -> str | None:
        org = self.organisation
        return org.path if org else None

    def has_action(self, action: str) -> bool:
        if self.is_operator:
            return True
        return bool(self.role) and action in ROLE_ACTIONS.get(self.role, frozenset())


def actor_for(user: User, membership_id: int | None = None) -> Actor:
    """The actor for a user: the chosen membership if it is theirs, else their first one."""
    if not user.is_authenticated:
        return Actor(user=user, membership=None)
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    chosen = None
    if membership_id:
        chosen = memberships.filter(pk=membership_id).first()
    if chosen is None:
        chosen = memberships.order_by("organisation__depth", "pk").first()
    return Actor(user=user, membership=chosen)


def can(actor: Actor, action: str, organisation: Organisation | None) -> bool:
    if not actor.user.is_authenticated or not actor.user.is_active:
        return False
    if actor.is_operator:
        return True
    if not actor.has_action(action) or organisation is None or actor.organisation is None:
        return False
    return organisation.path.startswith(actor.organisation.path)


def ensure_can(actor: Actor, action: str, organisation: Organisation | None) -> None:
    """Raise when `actor` may not do `action` at `organisation`.

    Outside the subtree the object does not exist for the actor (404); inside it, a role that
    lacks the action gets a 403 with a sentence saying so.
    """
    if can(actor, action, organisation):
        return
    if (
        organisation is not None
        and actor.organisation is not None
        and not (actor.is_operator or organisation.path.startswith(actor.organisation.path))
    ):
        from dxday.core.errors import NotFound

        raise NotFound()
    raise DomainError(
        _("Vai trò của bạn không được phép thực hiện thao tác này."),
        code="forbidden",
        status=403,
    )


def ensure_action(actor: Actor, action: str) -> None:
    """Raise 403 when the actor's role lacks `action` anywhere (a page or list the role may
    not open; the URL itself is no secret). Single objects go through `get_<thing>_for_user`,
    which answers "not found" for missing and forbidden alike."""
    if actor.user.is_authenticated and actor.user.is_active and actor.has_action(action):
        return
    raise DomainError(
        _("Vai trò của bạn không được phép thực hiện thao tác này."),
        code="forbidden",
        status=403,
    )


def subtree_q(actor: Actor, field: str = "organisation") -> Q:
    """A filter for rows whose `field` (an Organisation FK) lies in the actor's subtree.

    Use it on any model: `Activity.objects.filter(subtree_q(actor))`.
    """
    if actor.is_operator:
        return Q()
    path = actor.subtree_path
    if path is None:
        return Q(pk__in=[])
    prefix = f"{field}__path__startswith" if field else "path__startswith"
    return Q(**{prefix: path})


def visible_organisations(actor: Actor) -> QuerySet[Organisation]:
    return Organisation.objects.filter(subtree_q(actor, field=""))
