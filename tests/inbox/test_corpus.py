"""The classification's precision and recall on the corpus (tests/inbox/corpus.py), read
from a real IMAP server by a real poll: what a user would find on their Inbox page."""

from collections import Counter

import pytest

from applications.models import Application, Contact
from inbox import polling
from inbox.models import Proposal
from tests.inbox.corpus import APPLICATIONS, SAMPLES

pytestmark = pytest.mark.django_db

KINDS = ["invitation", "rejection", "offer", "request", "acknowledgement"]


@pytest.fixture
def applications(alice, make_application) -> dict[str, Application]:
    made = {}
    for key, (company, title, url, contacts) in APPLICATIONS.items():
        application = make_application(alice, company, title, posting_url=url)
        for name, email in contacts:
            application.contacts.add(Contact.objects.create(owner=alice, name=name, email=email))
        made[key] = application
    return made


@pytest.fixture
def polled(dovecot, imap_user, connect, applications, clock):
    """Every sample delivered, then one poll of the mailbox connected with its last 30 days."""
    built = [(sample, *sample.build(clock)) for sample in SAMPLES]
    dovecot.append(imap_user, [(raw, delivered) for _, raw, delivered in built])
    mailbox = connect(backfill=True)
    outcome = polling.poll(mailbox.pk)
    assert outcome.state == "read" and not outcome.more
    by_subject_and_date = {
        (p.subject, p.sent_at.replace(microsecond=0)): p for p in Proposal.objects.all()
    }
    results = []
    for sample, raw, delivered in built:
        subject = _subject(raw)
        found = by_subject_and_date.get((subject, delivered.replace(microsecond=0)))
        results.append((sample, found))
    return results


def _subject(raw: bytes) -> str:
    from email import message_from_bytes, policy

    return " ".join(str(message_from_bytes(raw, policy=policy.default)["Subject"]).split())


def scores(results, applications):
    """Per kind: true positives, false positives, false negatives (a proposal counts only
    with the right kind for the right application)."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for sample, found in results:
        expected = (applications[sample.application].pk, sample.kind) if sample.kind else None
        got = (found.application_id, found.kind) if found else None
        if expected == got and got:
            tp[got[1]] += 1
            continue
        if got:
            fp[got[1]] += 1
        if expected:
            fn[expected[1]] += 1
    return tp, fp, fn


def test_the_corpus_has_what_the_proof_needs():
    kinds = Counter(sample.kind for sample in SAMPLES)
    assert len(SAMPLES) >= 40
    assert all(kinds[kind] >= 2 for kind in KINDS), kinds
    assert kinds[None] >= 10, "newsletters, alerts and other mail that must not be kept"


def test_it_classifies_the_corpus_with_high_precision_and_recall(polled, applications):
    tp, fp, fn = scores(polled, applications)
    lines = [f"{'kind':<16} {'precision':>9} {'recall':>7}  (tp fp fn)"]
    for kind in KINDS:
        precision = tp[kind] / ((tp[kind] + fp[kind]) or 1)
        recall = tp[kind] / ((tp[kind] + fn[kind]) or 1)
        lines.append(
            f"{kind:<16} {precision:>9.2f} {recall:>7.2f}  ({tp[kind]} {fp[kind]} {fn[kind]})"
        )
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = total_tp / (total_tp + total_fp)
    recall = total_tp / (total_tp + total_fn)
    lines.append(
        f"{'all':<16} {precision:>9.2f} {recall:>7.2f}  ({total_tp} {total_fp} {total_fn})"
    )
    misses = [
        f"{sample.name}: expected {sample.kind}, got {found.kind if found else None}"
        for sample, found in polled
        if (found.kind if found else None) != sample.kind
    ]
    print("\n" + "\n".join(lines) + "\nmisses:\n  " + "\n  ".join(misses))
    assert precision >= 0.9 and recall >= 0.85, "\n".join(lines + misses)


def test_nothing_that_must_not_match_is_kept(polled):
    kept = [sample.name for sample, found in polled if sample.application is None and found]
    assert kept == []


def test_offers_carry_their_deadline_and_invitations_their_time(polled, clock):
    for sample, found in polled:
        if sample.deadline_days is not None and found:
            assert found.deadline == clock.day(sample.deadline_days), sample.name
        if sample.starts_at and found:
            assert found.starts_at == sample.starts_at(clock), sample.name
        if "screening" in sample.tags and found:
            assert not found.to_interview, f"{sample.name} is a screening call"
        if "interview" in sample.tags and found:
            assert found.to_interview, f"{sample.name} is an interview"
        if "position_closed" in sample.tags and found:
            assert found.end_reason == "position_closed", sample.name
