"""What a recruiter may see: the candidates of their own agency who share now, and their data.

Every recruiter query goes through `for_recruiter`; superusers (operators) see everything, and
a staff user who is not a recruiter sees nothing. Sharing is checked in the query itself, so
a candidate who stops sharing disappears from the very next page.
"""

from django.db.models import Exists, OuterRef, QuerySet

from agencies.models import CandidateMembership, Office, RecruiterMembership

_CACHE = "_bridges_recruiter"


def recruiter_of(user) -> RecruiterMembership | None:
    """The user's recruiter membership (looked up once per request object)."""
    if not user.is_authenticated or not user.is_staff:
        return None
    if not hasattr(user, _CACHE):
        membership = (
            RecruiterMembership.objects.select_related("agency", "office").filter(user=user).first()
        )
        setattr(user, _CACHE, membership)
    return getattr(user, _CACHE)


def sharing_in(agency_id, candidate_path: str = "pk", office_id=None) -> Exists:
    """True for rows whose candidate (reached by `candidate_path`) shares with the agency."""
    memberships = CandidateMembership.objects.sharing().filter(
        agency_id=agency_id, candidate=OuterRef(candidate_path)
    )
    if office_id is not None:
        memberships = memberships.filter(office_id=office_id)
    return Exists(memberships)


def for_recruiter(queryset: QuerySet, user, candidate_path: str) -> QuerySet:
    """`queryset` cut down to what `user` may see in the admin."""
    if user.is_superuser:
        return queryset
    recruiter = recruiter_of(user)
    if recruiter is None:
        return queryset.none()
    return queryset.filter(sharing_in(recruiter.agency_id, candidate_path))


def in_office(queryset: QuerySet, user, candidate_path: str, office_id) -> QuerySet:
    """Rows whose candidate belongs to that office (of the recruiter's agency, if a recruiter)."""
    memberships = CandidateMembership.objects.filter(
        candidate=OuterRef(candidate_path), office_id=office_id
    )
    recruiter = None if user.is_superuser else recruiter_of(user)
    if recruiter is not None:
        memberships = memberships.filter(agency_id=recruiter.agency_id)
    return queryset.filter(Exists(memberships))


def memberships_for(user) -> QuerySet[CandidateMembership]:
    """The candidate memberships `user` may see: all for operators, else their agency's sharing."""
    memberships = CandidateMembership.objects.all()
    if user.is_superuser:
        return memberships
    recruiter = recruiter_of(user)
    if recruiter is None:
        return memberships.none()
    return memberships.sharing().filter(agency_id=recruiter.agency_id)


def offices_for(user):
    if user.is_superuser:
        return Office.objects.select_related("agency")
    recruiter = recruiter_of(user)
    if recruiter is None:
        return Office.objects.none()
    return Office.objects.select_related("agency").filter(agency_id=recruiter.agency_id)
