"""The demo agency: three offices, a recruiter, candidates who share and one who does not."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User
from agencies import services
from agencies.models import Agency, CandidateMembership, Office, RecruiterMembership
from agencies.permissions import RECRUITERS
from applications.demo import seed_pipeline

AGENCY = "Meridian Talent"
OFFICES = ["London", "Manchester", "Edinburgh"]
RECRUITER_EMAIL = "recruiter@bridges.example"
# (email, name, office, shares?)
CANDIDATES = [
    ("jordan@bridges.example", "Jordan Lee", "Manchester", True),
    ("amira@bridges.example", "Amira Haddad", "Edinburgh", True),
    ("chris@bridges.example", "Chris Doyle", "London", False),
]


def _login(email: str, password: str, **fields) -> User:
    user, _ = User.objects.update_or_create(email=email, defaults=fields)
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_agency(demo_candidate: User, password: str) -> User:
    """Creates (or resets) the agency; the demo candidate shares from the London office.
    Returns the recruiter."""
    agency, _ = Agency.objects.get_or_create(name=AGENCY)
    offices = {city: Office.objects.get_or_create(agency=agency, city=city)[0] for city in OFFICES}
    recruiter = _login(
        RECRUITER_EMAIL, password, display_name="Morgan Ellis", time_zone="Europe/London"
    )
    recruiter.is_staff = True
    recruiter.save(update_fields=["is_staff"])
    recruiter.groups.add(Group.objects.get(name=RECRUITERS))
    RecruiterMembership.objects.update_or_create(
        user=recruiter, defaults={"agency": agency, "office": offices["London"]}
    )
    people = [(demo_candidate, "London", True)]
    for email, name, city, shares in CANDIDATES:
        candidate = _login(email, password, display_name=name, time_zone="Europe/London")
        seed_pipeline(candidate)
        people.append((candidate, city, shares))
    for candidate, city, shares in people:
        CandidateMembership.objects.filter(candidate=candidate, agency=agency).delete()
        membership = CandidateMembership.objects.create(
            candidate=candidate, agency=agency, office=offices[city]
        )
        if shares:
            services.set_sharing(membership=membership, share=True)
    return recruiter
