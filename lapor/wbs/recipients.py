"""Who receives a WBS case: the inspectorate (Inspektorat / APIP) of the agency concerned, or
the next level up when the inspectorate itself or the agency's head is accused.

An inspectorate is an ``INSPECTOR`` membership at an agency of the tree: the inspectorate of a
regency or city at its government, the provincial inspectorate at the province's government, and
the national WBS team at the national root (kind ``nasional``). The levels tried, in order:

1. the agency concerned (a unit's own agency), unless its inspectorate or head is accused;
2. the provincial government of a regency's or city's province;
3. the national WBS team.

The first level with at least one inspector who has set up a WBS key receives the case. Nobody
with another role inside the agency concerned is ever a recipient, even if they also inspect."""

from __future__ import annotations

from django.db.models import Q

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership
from lapor.wbs.models import Accused


def concerned(agency: Agency) -> Agency:
    return agency.top_agency()


def levels(agency: Agency, accused: str) -> list[Agency]:
    own = concerned(agency)
    chain: list[Agency] = []
    if accused == Accused.STAFF:
        chain.append(own)
    region = own.region
    if own.kind in (Agency.Kind.REGENCY, Agency.Kind.CITY) and region and region.parent_id:
        province = Agency.objects.filter(
            kind=Agency.Kind.PROVINCE, region_id=region.parent_id, is_active=True
        ).first()
        if province is not None:
            chain.append(province)
    chain.extend(
        a for a in Agency.objects.filter(kind=Agency.Kind.NATIONAL, is_active=True) if a != own
    )
    return chain


def inspectors_at(level: Agency, agency_concerned: Agency) -> list[User]:
    """Active inspectors of ``level`` with a WBS key, minus anyone holding another role inside
    the agency concerned."""
    users = User.objects.filter(
        is_active=True,
        wbs_key__isnull=False,
        memberships__role=Membership.Role.INSPECTOR,
        memberships__agency=level,
        memberships__is_active=True,
    ).distinct()
    conflicted = Membership.objects.filter(
        Q(agency__path__startswith=agency_concerned.path),
        is_active=True,
    ).exclude(role=Membership.Role.INSPECTOR)
    return list(users.exclude(pk__in=conflicted.values("user_id")).order_by("pk"))


def resolve(agency: Agency, accused: str) -> tuple[Agency, list[User]] | None:
    own = concerned(agency)
    for level in levels(agency, accused):
        people = inspectors_at(level, own)
        if people:
            return level, people
    return None


def may_handle(user: User, handled_by_id: int) -> bool:
    """Still an active inspector of the level handling the case."""
    return Membership.objects.filter(
        user=user,
        agency_id=handled_by_id,
        role=Membership.Role.INSPECTOR,
        is_active=True,
    ).exists()
