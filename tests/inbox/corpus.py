"""A corpus of realistic emails a job seeker receives, written for the tests, each with what
Bridges should make of it: the application it belongs to (or none) and the proposal's kind
(or none: not kept). Dates are relative to the suite's clock.

The candidate (Alice) applied to the companies in APPLICATIONS; the shapes follow what the
common applicant-tracking systems send (Greenhouse, Lever, Workday, Ashby), recruiters'
own emails, calendar invitations, and the newsletters and job alerts that fill the rest of
an inbox.
"""

import datetime
from dataclasses import dataclass, field

from tests.inbox.mail import email_bytes

ME = "Alice Martin <alice@example.com>"

# key: (company, job title, posting URL, contacts [(name, email)])
APPLICATIONS = {
    "acme": (
        "Acme",
        "Backend Engineer",
        "https://careers.acme.example/jobs/42",
        [("Priya Nair", "priya@acme.example")],
    ),
    "globex": (
        "Globex Corporation",
        "Data Engineer",
        "https://boards.greenhouse.io/globex/jobs/4127",
        [],
    ),
    "initech": ("Initech", "Platform Engineer", "https://jobs.lever.co/initech/7c1e", []),
    "umbrella": (
        "Umbrella Health",
        "Python Developer",
        "https://umbrellahealth.wd3.myworkdayjobs.com/careers/job/R-1043",
        [],
    ),
    "hooli": ("Hooli", "Site Reliability Engineer", "https://jobs.ashbyhq.com/hooli/5e2a", []),
    "northwind": (
        "Northwind",
        "Senior Backend Engineer",
        "",
        [("Sam Lee", "sam.lee@northwind.example")],
    ),
    "stark": (
        "Stark Industries",
        "Software Engineer",
        "https://www.stark-industries.example/careers/1881",
        [],
    ),
    "wayne": (
        "Wayne Enterprises",
        "Security Engineer",
        "https://careers.wayne-enterprises.example/r/77",
        [],
    ),
    "vandelay": (
        "Vandelay Industries",
        "Import/Export Analyst",
        "https://vandelay.example/jobs/3",
        [],
    ),
    "soylent": ("Soylent", "Food Scientist", "https://soylent.example/careers", []),
    "cyberdyne": ("Cyberdyne Systems", "ML Engineer", "https://cyberdyne.example/careers/ml", []),
    "tyrell": ("Tyrell Corporation", "Robotics Engineer", "https://tyrell.example/jobs/nexus", []),
    "massive": (
        "Massive Dynamic",
        "Research Engineer",
        "https://massivedynamic.example/careers",
        [],
    ),
    "oscorp": ("Oscorp", "Lab Software Engineer", "https://oscorp.example/careers/22", []),
    "piedpiper": (
        "Pied Piper",
        "Compression Engineer",
        "https://piedpiper.example/jobs",
        [("Richard Hendricks", "richard@piedpiper.example")],
    ),
    "contoso": ("Contoso", "Cloud Engineer", "https://jobs.ashbyhq.com/contoso/91", []),
}


@dataclass
class Sample:
    name: str
    application: str | None  # a key of APPLICATIONS, or None: not to be kept
    kind: str | None
    build: object  # clock -> (bytes, delivered_at)
    deadline_days: int | None = None  # the offer's deadline, days after the clock's start
    starts_at: object = None  # clock -> the calendar invitation's start
    tags: list = field(default_factory=list)


SAMPLES: list[Sample] = []


def sample(name, application, kind, **extra):
    def register(build):
        SAMPLES.append(Sample(name, application, kind, build, **extra))
        return build

    return register


def mail(clock, days_ago: float, sender: str, subject: str, text: str, **kwargs):
    sent = clock.start - datetime.timedelta(days=days_ago)
    return email_bytes(sender, subject, text, sent_at=sent, to=ME, **kwargs), sent


def day_name(clock, days: int) -> str:
    return clock.day(days).strftime("%A %-d %B")


# --- Greenhouse -------------------------------------------------------------------------------


@sample("greenhouse acknowledgement", "globex", "acknowledgement")
def _(clock):
    return mail(
        clock,
        20,
        "Globex Corporation <no-reply@us.greenhouse-mail.io>",
        "Thank you for applying to Globex Corporation",
        "Hi Alice,\n\nThanks for applying to Globex Corporation! Your application has been "
        "received and we will review it right away.\n\nIf your application seems like a good "
        "fit for the position we will contact you soon.\n\nRegards,\nGlobex Corporation\n\n"
        "** Please note: Do not reply to this email. This email is sent from an unattended "
        "mailbox. Replies will not be read.",
        headers={"Auto-Submitted": "auto-generated"},
    )


@sample("greenhouse phone screen invitation", "globex", "invitation", tags=["screening"])
def _(clock):
    return mail(
        clock,
        12,
        "Maria Chen <no-reply@us.greenhouse-mail.io>",
        "Globex Corporation - Data Engineer: next steps",
        "Hi Alice,\n\nThank you for your interest in the Data Engineer role at Globex. We "
        "were impressed with your background and would like to invite you to a 30-minute "
        "phone screen with our recruiting team.\n\nPlease use the link below to select a "
        "time that works for you:\nhttps://app.greenhouse.io/scheduling/abc123\n\nBest,\n"
        "Maria Chen\nTalent Acquisition, Globex Corporation",
        headers={"Reply-To": "maria.chen@globex.example"},
    )


@sample("greenhouse rejection", "globex", "rejection")
def _(clock):
    return mail(
        clock,
        3,
        "Globex Corporation <no-reply@us.greenhouse-mail.io>",
        "Your application to Globex Corporation",
        "Hi Alice,\n\nThank you for taking the time to speak with us about the Data Engineer "
        "position. After careful consideration, we have decided to move forward with other "
        "candidates whose experience more closely aligns with our needs at this time.\n\n"
        "We appreciate your interest in Globex and wish you the best in your search.\n\n"
        "Globex Recruiting",
    )


# --- Lever ------------------------------------------------------------------------------------


@sample("lever acknowledgement", "initech", "acknowledgement")
def _(clock):
    return mail(
        clock,
        18,
        "Initech <no-reply@hire.lever.co>",
        "Thanks for applying to Initech",
        "Hi Alice,\n\nThank you for your application for the Platform Engineer position at "
        "Initech. We have received your application and our team will review your "
        "application shortly.\n\nBest,\nThe Initech Hiring Team\n\nSent via Lever",
    )


@sample("lever interview invitation", "initech", "invitation", tags=["interview"])
def _(clock):
    return mail(
        clock,
        9,
        "Initech <no-reply@hire.lever.co>",
        "Initech: schedule your technical interview",
        "Hi Alice,\n\nGreat news! The team enjoyed your first conversation and would like to "
        "move you forward to the technical interview.\n\nPlease pick a time for a 60-minute "
        "video call with two of our engineers: https://hire.lever.co/interviews/schedule/9f2\n\n"
        "Cheers,\nBill Lumbergh\nInitech",
    )


@sample("lever rejection", "initech", "rejection")
def _(clock):
    return mail(
        clock,
        2,
        "Initech <no-reply@hire.lever.co>",
        "Update on your application to Initech",
        "Hi Alice,\n\nThank you for taking the time to interview with us for the Platform "
        "Engineer role. Unfortunately, we won't be moving forward with your application at "
        "this time.\n\nWe'll keep your information on file and may reach out if another "
        "opportunity comes up.\n\nBest,\nInitech Recruiting",
    )


# --- Workday ----------------------------------------------------------------------------------


@sample("workday acknowledgement", "umbrella", "acknowledgement")
def _(clock):
    return mail(
        clock,
        25,
        "Umbrella Health <umbrellahealth@myworkday.com>",
        "Application Received - Python Developer (R-1043)",
        "Dear Alice Martin,\n\nThank you for applying for the Python Developer (R-1043) "
        "position at Umbrella Health. We have successfully received your application.\n\n"
        "You can track the status of your application at any time by signing in to your "
        "Candidate Home account.\n\nSincerely,\nUmbrella Health Talent Acquisition\n\n"
        "This is an automated message. Please do not reply.",
        html="<html><body><p>Dear Alice Martin,</p><p>Thank you for applying for the Python "
        "Developer (R-1043) position at Umbrella Health. We have successfully received your "
        "application.</p></body></html>",
    )


@sample("workday request for information", "umbrella", "request")
def _(clock):
    return mail(
        clock,
        15,
        "Umbrella Health <umbrellahealth@myworkday.com>",
        "Action Required: Python Developer (R-1043)",
        "Dear Alice Martin,\n\nYour application for Python Developer (R-1043) requires "
        "additional information. Please complete the work authorization questions in your "
        "Candidate Home account within 5 days so we can continue to review your application."
        "\n\nSincerely,\nUmbrella Health Talent Acquisition",
    )


@sample("workday rejection", "umbrella", "rejection")
def _(clock):
    return mail(
        clock,
        1,
        "Umbrella Health <umbrellahealth@myworkday.com>",
        "Regarding your application for Python Developer (R-1043)",
        "Dear Alice Martin,\n\nThank you for your interest in Umbrella Health. After careful "
        "review, we regret to inform you that you have not been selected for the Python "
        "Developer position.\n\nWe encourage you to apply for future openings.\n\nSincerely,\n"
        "Umbrella Health Talent Acquisition",
    )


# --- Ashby ------------------------------------------------------------------------------------


@sample("ashby acknowledgement", "hooli", "acknowledgement")
def _(clock):
    return mail(
        clock,
        22,
        "Hooli Recruiting <no-reply@ashbyhq.com>",
        "Thanks for your application to Hooli!",
        "Hi Alice,\n\nThanks so much for your interest in joining Hooli! We've received your "
        "application for Site Reliability Engineer and our team will be reviewing it over the "
        "next few days.\n\nThe Hooli Team\n\nPowered by Ashby",
    )


@sample("ashby interview invitation", "hooli", "invitation", tags=["interview"])
def _(clock):
    return mail(
        clock,
        10,
        "Hooli Recruiting <no-reply@ashbyhq.com>",
        "Hooli - Let's schedule your Technical Interview",
        "Hi Alice,\n\nThe next step is a 45-minute technical interview with Gavin's team. "
        "Please use this link to choose a time that suits you: "
        "https://app.ashbyhq.com/interview-scheduling/hooli/8d1\n\nLooking forward to it!\n"
        "Hooli Recruiting",
    )


@sample("ashby rejection", "hooli", "rejection")
def _(clock):
    return mail(
        clock,
        4,
        "Hooli Recruiting <no-reply@ashbyhq.com>",
        "Your Hooli application",
        "Hi Alice,\n\nThank you for interviewing with Hooli. We truly appreciated the time "
        "you spent with us. Unfortunately, we've decided not to proceed with your candidacy "
        "for the Site Reliability Engineer role.\n\nAll the best,\nHooli Recruiting",
    )


@sample("ashby offer", "contoso", "offer", deadline_days=6)
def _(clock):
    return mail(
        clock,
        1,
        "Contoso Recruiting <no-reply@ashbyhq.com>",
        "Your offer from Contoso",
        "Hi Alice,\n\nWe're thrilled to extend you an offer to join Contoso as a Cloud "
        f"Engineer! Your offer letter is attached to this email. Please review it and let us "
        f"know your decision by {day_name(clock, 6)}.\n\nCongratulations,\nContoso Talent",
    )


# --- A recruiter's own emails, and a thread -----------------------------------------------------


@sample("recruiter's personal invitation", "northwind", "invitation", tags=["interview"])
def _(clock):
    return mail(
        clock,
        6,
        "Sam Lee <sam.lee@northwind.example>",
        "Northwind - Senior Backend Engineer",
        "Hi Alice,\n\nI enjoyed reading your profile and I'd like to invite you to a video "
        "interview with our engineering manager. Would you be available next Tuesday or "
        "Wednesday afternoon?\n\nBest regards,\nSam Lee\nTechnical Recruiter, Northwind",
        message_id="<sam-1@northwind.example>",
    )


@sample("the candidate's own reply", None, None)
def _(clock):
    return mail(
        clock,
        5.9,
        ME,
        "Re: Northwind - Senior Backend Engineer",
        "Hi Sam,\n\nThank you! Wednesday at 3pm works well for me.\n\nBest,\nAlice\n\n"
        "On Mon, Sam Lee <sam.lee@northwind.example> wrote:\n> I'd like to invite you to a "
        "video interview with our engineering manager.",
        headers={"In-Reply-To": "<sam-1@northwind.example>"},
        message_id="<alice-1@example.com>",
    )


@sample("recruiter confirms in the thread", None, None)
def _(clock):
    return mail(
        clock,
        5.8,
        "Sam Lee <sam.lee@northwind.example>",
        "Re: Northwind - Senior Backend Engineer",
        "Perfect, Wednesday at 3pm it is. I have just sent you the calendar details.\n\nSam\n\n"
        "On Tue, Alice Martin <alice@example.com> wrote:\n> Wednesday at 3pm works well for me."
        "\n>> I'd like to invite you to a video interview with our engineering manager.",
        headers={
            "In-Reply-To": "<alice-1@example.com>",
            "References": "<sam-1@northwind.example> <alice-1@example.com>",
        },
    )


def _ics(clock, summary, days, hour, zone, organizer):
    start = clock.at(days, hour).replace(tzinfo=None)
    return (
        "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n"
        "METHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        f"DTSTART;TZID={zone}:{start:%Y%m%dT%H%M%S}\r\n"
        f"DTEND;TZID={zone}:{start + datetime.timedelta(hours=1):%Y%m%dT%H%M%S}\r\n"
        f"UID:{days}-{hour}@calendar.example\r\nORGANIZER;CN=Recruiter:mailto:{organizer}\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def _london(clock, days, hour):
    import zoneinfo

    return clock.at(days, hour, tz=zoneinfo.ZoneInfo("Europe/London"))


@sample(
    "calendar invitation with .ics",
    "northwind",
    "invitation",
    starts_at=lambda clock: _london(clock, 2, 15),
    tags=["interview"],
)
def _(clock):
    return mail(
        clock,
        5.7,
        "Sam Lee <sam.lee@northwind.example>",
        "Invitation: Northwind video interview",
        "You have been invited to the following event.\n\nNorthwind video interview\n"
        "Join with Google Meet: meet.google.com/abc-defg-hij",
        ics=_ics(
            clock, "Northwind video interview", 2, 15, "Europe/London", "sam.lee@northwind.example"
        ),
    )


@sample(
    "calendar invitation sent by a calendar service",
    "wayne",
    "invitation",
    starts_at=lambda clock: clock.at(4, 11),
    tags=["interview"],
)
def _(clock):
    return mail(
        clock,
        3,
        "Lucius Fox (via Google Calendar) <calendar-notification@google.com>",
        "Invitation: Wayne Enterprises - Security Engineer interview",
        "Lucius Fox has invited you to an event.\n\nWayne Enterprises - Security Engineer "
        "interview\nView your event at https://calendar.google.com/calendar/event?eid=xyz",
        headers={"Reply-To": "lucius.fox@wayne-enterprises.example"},
        ics=_ics(
            clock,
            "Wayne Enterprises - Security Engineer interview",
            4,
            11,
            "Europe/Paris",
            "lucius.fox@wayne-enterprises.example",
        ),
    )


# --- Offers ------------------------------------------------------------------------------------


@sample("offer letter", "stark", "offer", deadline_days=9)
def _(clock):
    return mail(
        clock,
        2,
        "Pepper Potts <hr@stark-industries.example>",
        "Offer of Employment - Software Engineer",
        "Dear Alice,\n\nOn behalf of Stark Industries, I am delighted to offer you the "
        "position of Software Engineer, reporting to Happy Hogan. Your starting salary will "
        "be 85,000 EUR per year.\n\nThe formal offer letter is attached. Please sign and return "
        f"it no later than {clock.day(9):%-d %B %Y}.\n\nWe look forward to welcoming you.\n\n"
        "Pepper Potts\nHead of People, Stark Industries",
        attachment=b"%PDF-1.4 offer letter",
    )


@sample("offer with a relative deadline", "massive", "offer", deadline_days=None)
def _(clock):
    return mail(
        clock,
        0.5,
        "Nina Sharp <nina.sharp@massivedynamic.example>",
        "Massive Dynamic - Research Engineer",
        "Hi Alice,\n\nI'm happy to share that we would like to make you an offer for the "
        "Research Engineer role! We are pleased to extend an offer of 95,000 EUR. Please let "
        "me know your answer within five business days.\n\nNina",
    )


# --- Rejections in other words -------------------------------------------------------------------


@sample("rejection: position filled", "vandelay", "rejection", tags=["position_closed"])
def _(clock):
    return mail(
        clock,
        7,
        "Art Vandelay <art@vandelay.example>",
        "Import/Export Analyst",
        "Dear Alice,\n\nThank you for your patience. I wanted to let you know that the "
        "position has been filled internally.\n\nKind regards,\nArt Vandelay",
    )


@sample("rejection: regret to inform", "soylent", "rejection")
def _(clock):
    return mail(
        clock,
        8,
        "Soylent Careers <careers@soylent.example>",
        "Your application - Food Scientist",
        "Dear Alice,\n\nWe regret to inform you that we will not be progressing your "
        "application further. We received a large number of applications.\n\nSoylent",
    )


@sample("rejection: other candidates", "cyberdyne", "rejection")
def _(clock):
    return mail(
        clock,
        9,
        "Cyberdyne Systems Talent <talent@cyberdyne.example>",
        "ML Engineer at Cyberdyne",
        "Hello Alice,\n\nThank you for your interest in the ML Engineer role. We have decided "
        "to pursue other applicants for this position.\n\nCyberdyne Systems",
    )


@sample("rejection: a different direction", "tyrell", "rejection")
def _(clock):
    return mail(
        clock,
        11,
        "Tyrell Corporation <recruiting@tyrell.example>",
        "Robotics Engineer",
        "Hi Alice,\n\nThank you for the conversations with our team. After careful "
        "consideration, we have chosen to go in a different direction for this role.\n\n"
        "Best of luck,\nTyrell Recruiting",
    )


# --- Requests for information, acknowledgements -------------------------------------------------


@sample("recruiter asks for information", "acme", "request")
def _(clock):
    return mail(
        clock,
        4,
        "Priya Nair <priya@acme.example>",
        "Backend Engineer - a couple of questions",
        "Hi Alice,\n\nThanks for your time yesterday. Could you send me your salary "
        f"expectations and your notice period before {clock.day(3):%A}?\n\nThanks,\nPriya",
    )


@sample("documents requested", "oscorp", "request")
def _(clock):
    return mail(
        clock,
        6,
        "Oscorp HR <hr@oscorp.example>",
        "Oscorp - documents for your application",
        "Dear Alice,\n\nTo continue with your application we need a copy of your right to "
        "work document and the contact details of two references.\n\nOscorp HR",
    )


@sample("acknowledgement with a conditional invitation", "acme", "acknowledgement")
def _(clock):
    return mail(
        clock,
        30 - 1,
        "Acme Careers <noreply@acme.example>",
        "We received your application",
        "Hi Alice,\n\nThanks for your application for Backend Engineer at Acme. If your "
        "profile matches what we need, one of our recruiters will contact you to schedule an "
        "interview.\n\nThe Acme Talent Team",
    )


@sample("automatic reply", "piedpiper", "acknowledgement")
def _(clock):
    return mail(
        clock,
        16,
        "Pied Piper Jobs <jobs@piedpiper.example>",
        "Auto: Compression Engineer application",
        "Hello,\n\nWe have received your application for Compression Engineer. We will "
        "review your application and get back to you.\n\nPied Piper",
        headers={"Auto-Submitted": "auto-replied"},
    )


@sample("recruiter proposes a chat", "piedpiper", "invitation", tags=["screening"])
def _(clock):
    return mail(
        clock,
        13,
        "Richard Hendricks <richard@piedpiper.example>",
        "Chat about the Compression Engineer role",
        "Hey Alice,\n\nI'd love to set up a quick call to chat about the role. What's your "
        "availability this week?\n\nRichard",
        message_id="<richard-1@piedpiper.example>",
    )


@sample("a reply that asks for more, quoting an invitation", "piedpiper", "request")
def _(clock):
    return mail(
        clock,
        12,
        "Richard Hendricks <richard@piedpiper.example>",
        "Re: Chat about the Compression Engineer role",
        "Thanks Alice! Before we talk, could you share a link to your GitHub profile?\n\n"
        "Richard\n\nOn Tue, Alice Martin <alice@example.com> wrote:\n> Sure, happy to.\n>\n"
        "> On Mon, Richard Hendricks wrote:\n>> I'd love to set up a quick call to chat about "
        "the role. What's your availability this week?",
        headers={
            "In-Reply-To": "<alice-2@example.com>",
            "References": "<richard-1@piedpiper.example> <alice-2@example.com>",
        },
    )


@sample("hostile markup from a known contact", "acme", "invitation", tags=["hostile"])
def _(clock):
    return mail(
        clock,
        0.2,
        'Priya "<script>alert(1)</script>" Nair <priya@acme.example>',
        "<script>alert('subject')</script> Interview",
        "We would like to invite you to an onsite interview <img src=x onerror=alert(1)>.",
    )


# --- What must not match ---------------------------------------------------------------------------


@sample("job alert naming an applied company", None, None)
def _(clock):
    return mail(
        clock,
        5,
        "LinkedIn Job Alerts <jobalerts-noreply@linkedin.com>",
        "Acme is hiring: Backend Engineer",
        "Backend Engineer\nAcme · Paris (Hybrid)\n\nApply now. 25 new jobs match your "
        "preferences.\n\nUnsubscribe",
        headers={"List-Unsubscribe": "<https://www.linkedin.com/e/unsub>"},
    )


@sample("job board alert with several companies", None, None)
def _(clock):
    return mail(
        clock,
        4,
        "Indeed <alert@indeed.com>",
        "Globex Corporation and 14 more companies are hiring Data Engineers near you",
        "Data Engineer - Globex Corporation - Berlin\nThank you for applying through Indeed "
        "in the past: here are new jobs for you.",
    )


@sample("job board newsletter", None, None)
def _(clock):
    return mail(
        clock,
        3,
        "Welcome to the Jungle <hello@welcometothejungle.com>",
        "This week: Initech, Hooli and 30 startups hiring",
        "Discover the companies hiring this week: Initech is scaling its platform team...",
        headers={"List-Id": "Weekly <weekly.welcometothejungle.com>"},
    )


@sample("employer's own newsletter", None, None)
def _(clock):
    return mail(
        clock,
        6,
        "Hooli News <news@hooli.example>",
        "Hooli Quarterly: what we shipped",
        "Thank you for your interest in Hooli! Here is what our teams shipped this quarter.",
        headers={"List-Id": "Hooli News <news.hooli.example>", "Precedence": "bulk"},
    )


@sample("a newsletter using a company's name as a word", None, None)
def _(clock):
    return mail(
        clock,
        2,
        "Productivity Weekly <newsletter@productivityweekly.example>",
        "The acme of focus: 10 tips for deep work",
        "Reach the acme of productivity with these ten tips.",
        headers={"List-Id": "<productivity.weekly.example>"},
    )


@sample("glassdoor digest", None, None)
def _(clock):
    return mail(
        clock,
        8,
        "Glassdoor Jobs <noreply@glassdoor.com>",
        "Jobs for you: Platform Engineer at Initech and more",
        "We found new jobs for you. Initech - Platform Engineer - 4.1 stars.",
    )


@sample("bank statement", None, None)
def _(clock):
    return mail(
        clock,
        10,
        "My Bank <statements@mybank.example>",
        "Your monthly statement is ready",
        "Your statement for last month is now available in online banking.",
    )


@sample("a friend's email", None, None)
def _(clock):
    return mail(
        clock,
        1,
        "Jo Bloggs <jo.bloggs@gmail.com>",
        "Dinner on Saturday?",
        "Hey! Are you free for dinner on Saturday? Would love to catch up.",
    )


@sample("shipping notification", None, None)
def _(clock):
    return mail(
        clock,
        2,
        "Parcel Service <track@parcels.example>",
        "Your parcel is on its way",
        "Your order will arrive tomorrow between 9:00 and 13:00.",
    )


@sample("unrelated agency's cold email", None, None)
def _(clock):
    return mail(
        clock,
        7,
        "Talent Scout <scout@randomagency.example>",
        "Exciting opportunity at a fast-growing fintech",
        "Hi Alice, I'd love to set up a call to discuss an exciting role. What's your "
        "availability this week?",
    )


@sample("code review notification", None, None)
def _(clock):
    return mail(
        clock,
        1,
        "GitHub <notifications@github.com>",
        "[alice/dotfiles] Pull request merged",
        "Your pull request #12 was merged.",
    )


@sample("a friend's calendar invitation", None, None)
def _(clock):
    return mail(
        clock,
        3,
        "Jo Bloggs <jo.bloggs@gmail.com>",
        "Invitation: Birthday drinks",
        "You have been invited to Birthday drinks.",
        ics=_ics(clock, "Birthday drinks", 5, 19, "Europe/Paris", "jo.bloggs@gmail.com"),
    )


@sample("shop promotion with an offer", None, None)
def _(clock):
    return mail(
        clock,
        2,
        "Deals <deals@shop.example>",
        "A special offer just for you",
        "We are pleased to offer you 20% off everything this weekend.",
    )


@sample("software subscription receipt", None, None)
def _(clock):
    return mail(
        clock,
        9,
        "Billing <billing@saas.example>",
        "Receipt for your subscription",
        "Thank you for your payment. Your receipt is attached.",
    )


# --- Harder cases, written after the rules: what plain rules miss or must leave alone ------------


@sample("vague promise after a call", None, None)
def _(clock):
    return mail(
        clock,
        0.3,
        "Priya Nair <priya@acme.example>",
        "Great chatting today",
        "Hi Alice, thanks for chatting today! We'll be in touch soon with next steps. Priya",
    )


@sample("rejection in few words", "oscorp", "rejection")
def _(clock):
    return mail(
        clock,
        0.4,
        "Oscorp HR <hr@oscorp.example>",
        "Lab Software Engineer",
        "Dear Alice, thank you for sending your documents. We've filled the role with an "
        "internal candidate. Oscorp HR",
    )


@sample("informal invitation", "cyberdyne", "invitation")
def _(clock):
    return mail(
        clock,
        8.5,
        "Miles Dyson <miles@cyberdyne.example>",
        "quick call?",
        "Hi Alice - are you around for a quick call tomorrow afternoon? Miles",
    )


@sample("offer announced in the subject", "tyrell", "offer")
def _(clock):
    return mail(
        clock,
        10,
        "Tyrell Corporation <recruiting@tyrell.example>",
        "Offer: Robotics Engineer",
        "Congratulations Alice! The details are in the attached document.",
    )
