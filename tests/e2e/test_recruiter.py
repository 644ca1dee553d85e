"""A recruiter's journey, clicked through in Chromium: log in to the admin and find only the
agency's sharing candidate, her pipeline and what she owes."""

from playwright.sync_api import expect

from agencies.models import Agency, Office
from tests.agencies.conftest import join, make_candidate, make_recruiter


def test_a_recruiter_sees_only_the_agencys_sharing_candidate(page, log_in, make_application):
    alpha, beta = Agency.objects.create(name="Alpha Staffing"), Agency.objects.create(name="Beta")
    london = Office.objects.create(agency=alpha, city="London")
    alice = make_candidate("alice@example.com", "Alice Martin", "Alicemark", make_application)
    carol = make_candidate("carol@example.com", "Carol Hidden", "Carolmark", make_application)
    dave = make_candidate("dave@example.com", "Dave Elsewhere", "Davemark", make_application)
    join(alice, alpha, london)
    join(carol, alpha, london, share=False)
    join(dave, beta)
    recruiter = make_recruiter("rita@alpha.example", alpha, london)

    log_in(recruiter.email, path="/backoffice/")
    expect(page.get_by_role("link", name="Candidates")).to_be_visible()
    page.get_by_role("link", name="Candidates").click()
    expect(page.get_by_role("link", name="Alice Martin")).to_be_visible()
    listing = page.content()
    assert "Carol Hidden" not in listing and "Dave Elsewhere" not in listing

    page.get_by_role("link", name="Alice Martin").click()
    expect(page.get_by_text("Alicemark Engineer at AlicemarkCorp")).to_be_visible()

    page.goto("/backoffice/agencies/owedanswer/")
    expect(page.get_by_text("Alice Martin").first).to_be_visible()
    owed = page.content()
    assert "Carolmark" not in owed and "Davemark" not in owed
