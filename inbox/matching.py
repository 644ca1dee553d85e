"""Which application an email belongs to, if any. Messages that match none are not kept.

A message belongs to an application when, in this order:
1. it replies to a message already proposed for that application (In-Reply-To, References);
2. its sender (or Reply-To) is one of the application's contacts;
3. its sender's domain is the employer's: the domain of a contact's address, or the host of
   the posting URL (neither counted when it is a mail provider or an applicant-tracking or
   job-board site, which speak for many employers);
4. the company's name is in the sender's name or address, or in the subject.
Mailing lists and newsletters (List-Id, Precedence: bulk) and job boards' alerts are matched
by the first two rules only, so "Acme is hiring" from a job board never becomes a proposal.
When several applications fit, one whose title is in the subject wins, then one still under
way, then the most recently updated.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from applications.models import Application
from applications.stages import ACTIVE_STAGES


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Addresses at these domains belong to a person or a service, never to one employer.
MAIL_PROVIDERS = _words(
    "gmail.com googlemail.com outlook.com hotmail.com live.com msn.com yahoo.com yahoo.co.uk "
    "yahoo.fr icloud.com me.com mac.com aol.com proton.me protonmail.com pm.me gmx.de gmx.net "
    "gmx.com web.de fastmail.com fastmail.fm mail.com zoho.com yandex.ru yandex.com hey.com "
    "orange.fr free.fr laposte.net sfr.fr wanadoo.fr t-online.de libero.it btinternet.com"
)
# Applicant-tracking systems, schedulers and job boards send for many employers.
SHARED_SENDERS = _words(
    "greenhouse.io greenhouse-mail.io lever.co hire.lever.co myworkdayjobs.com myworkday.com "
    "workday.com ashbyhq.com ashbyhq-mail.com smartrecruiters.com workablemail.com workable.com "
    "recruitee.com teamtailor.com teamtailor-mail.com bamboohr.com jobvite.com icims.com "
    "taleo.net successfactors.com personio.de personio.com join.com breezy.hr jazzhr.com "
    "applytojob.com rippling.com gem.com calendly.com goodtime.io linkedin.com indeed.com "
    "indeedemail.com glassdoor.com welcometothejungle.com otta.com wellfound.com angel.co "
    "stepstone.de stepstone.com monster.com ziprecruiter.com hired.com dice.com builtin.com "
    "seek.com.au jobs.ch hellowork.com google.com googlegroups.com"
)
# Job boards: their alerts name companies all day long, so names in them prove nothing.
JOB_BOARDS = _words(
    "linkedin.com indeed.com indeedemail.com glassdoor.com welcometothejungle.com otta.com "
    "wellfound.com angel.co stepstone.de stepstone.com monster.com ziprecruiter.com hired.com "
    "dice.com builtin.com seek.com.au jobs.ch hellowork.com"
)
_ACTIVE = frozenset(ACTIVE_STAGES)
_CAREER_PREFIXES = ("www.", "jobs.", "careers.", "career.", "apply.", "join.", "work.", "hr.")
_LEGAL_SUFFIXES = _words(
    "inc incorporated ltd limited llc llp plc gmbh ag sa sas sarl bv nv co corp corporation "
    "company oy ab as aps spa srl kk pty"
)


def _under(domain: str, suffixes: frozenset[str]) -> bool:
    labels = domain.split(".")
    return any(".".join(labels[i:]) in suffixes for i in range(len(labels) - 1))


def employer_host(url: str) -> str:
    """The employer's domain from a posting URL: careers.acme.com → acme.com; "" for a
    job board's or an applicant-tracking system's page."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host or _under(host, SHARED_SENDERS):
        return ""
    while host.startswith(_CAREER_PREFIXES) and host.count(".") > 1:
        host = host.split(".", 1)[1]
    return host


def employer_domain(address: str) -> str:
    domain = address.rpartition("@")[2].lower()
    if not domain or domain in MAIL_PROVIDERS or _under(domain, SHARED_SENDERS):
        return ""
    return domain


def _fold(text: str) -> str:
    """Lower case, accents and punctuation gone, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def company_words(company: str) -> str:
    """The company's name as matched: folded, without legal suffixes (Acme Inc. → acme)."""
    words = _fold(company).split()
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


@dataclass
class Candidate:
    pk: int
    company: str
    job_title: str
    active: bool
    updated_at: object
    name: str  # company_words
    domains: set[str] = field(default_factory=set)
    contacts: dict[str, str] = field(default_factory=dict)  # address → contact's name


@dataclass(frozen=True)
class Match:
    application_id: int
    reason: str


class Index:
    """One user's applications, loaded once per poll, to match a batch of messages against."""

    def __init__(self, candidates: list[Candidate], own_addresses: set[str]):
        self.candidates = {c.pk: c for c in candidates}
        self.own = {a.lower() for a in own_addresses if a}
        self.by_contact: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            for address in candidate.contacts:
                self.by_contact[address].append(candidate)

    @classmethod
    def for_user(cls, user, own_addresses=()) -> "Index":
        applications = Application.objects.for_user(user).filter(archived_at__isnull=True)
        candidates = {}
        for pk, company, title, url, stage, updated_at in applications.values_list(
            "pk", "company", "job_title", "posting_url", "stage", "updated_at"
        ):
            candidate = Candidate(
                pk, company, title, stage in _ACTIVE, updated_at, company_words(company)
            )
            if host := employer_host(url):
                candidate.domains.add(host)
            candidates[pk] = candidate
        links = Application.contacts.through.objects.filter(application__in=list(candidates))
        for pk, email, name in links.values_list(
            "application_id", "contact__email", "contact__name"
        ):
            if email:
                candidates[pk].contacts[email.lower()] = name
                if domain := employer_domain(email):
                    candidates[pk].domains.add(domain)
        return cls(list(candidates.values()), {user.email, *own_addresses})

    def match(self, message, replied_to: dict[str, int] | None = None) -> Match | None:
        addresses = [a for a in message.addresses if a.address not in self.own]
        if not addresses or (message.sender and message.sender.address in self.own):
            return None  # the user's own mail
        for reference in message.references:
            if (pk := (replied_to or {}).get(reference)) and pk in self.candidates:
                return Match(pk, "it replies to an email already proposed for it")
        for address in addresses:
            if found := self.by_contact.get(address.address):
                best = self._best(found, message)
                name = best.contacts[address.address]
                return Match(best.pk, f"it comes from your contact {name} ({address.address})")
        if message.bulk:
            return None
        for address in addresses:
            domain = employer_domain(address.address)
            if not domain:
                continue
            found = [
                c for c in self.candidates.values() if any(_within(domain, d) for d in c.domains)
            ]
            if found:
                best = self._best(found, message)
                return Match(best.pk, f"it comes from {domain}, {best.company}'s domain")
        if message.sender and _under(message.sender.domain, JOB_BOARDS):
            return None
        found = [c for c in self.candidates.values() if self._names(c, message)]
        if found:
            best = self._best(found, message)
            return Match(best.pk, f"{best.company} is named in {self._names(best, message)}")
        return None

    @staticmethod
    def _names(candidate: Candidate, message) -> str:
        """Where the company's name appears: "the sender" or "the subject", or ""."""
        name = candidate.name
        if len(name) < 3:
            return ""
        pattern = re.compile(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])")
        compact = name.replace(" ", "")
        for address in message.addresses:
            local, _, domain = address.address.partition("@")
            if pattern.search(_fold(address.name)) or compact in (
                _fold(local).replace(" ", ""),
                *domain.split("."),
            ):
                return "the sender"
        if pattern.search(_fold(message.subject)):
            return "the subject"
        return ""

    @staticmethod
    def _best(found: list[Candidate], message) -> Candidate:
        subject = _fold(message.subject)

        def rank(candidate: Candidate):
            title = _fold(candidate.job_title)
            return (bool(title) and title in subject, candidate.active, candidate.updated_at)

        return max(found, key=rank)


def _within(domain: str, employer: str) -> bool:
    """mail.acme.com is within acme.com, and acme.com within jobs.eu.acme.com's employer."""
    return domain == employer or domain.endswith("." + employer) or employer.endswith("." + domain)
