"""Bridges' wording as data: kind × part × tone → two or three ways to say it.

Each entry is plain text with a few `{names}` filled in by `placeholders.substitute` (never by
a template engine). `compose` picks one variant per part from a hash of the facts, so an
application always gets the same wording while five applications get different ones, and it
skips a variant that would repeat a phrase already in the message.

Names the wording may use: {role} “the Backend Engineer role at Acme”, {title}, {company},
{on} “ on Tuesday 3 March” (or nothing), {at_time} “ on Tuesday 3 March” or “ at the proposed
time”, {you} “you and the team have”/“you have”, {conv} “ and our conversation on …”,
{liked}/{Liked} the liked text mid-sentence / opening a sentence, {times}, {start}, {steps},
{name} the caller, {phone}.
"""

from applications.models import EndReason
from messaging.catalogue import Kind, Tone

FORMAL, WARM = Tone.FORMAL, Tone.WARM
K = Kind

KNOWN = {
    "role", "title", "company", "on", "at_time", "you", "conv", "liked", "Liked", "times",
    "start", "steps", "name", "phone", "reason", "contact",
}  # fmt: skip

# Phrases a reader notices when they come twice in one message.
MOTIFS = (
    "look forward", "looking forward", "in touch", "cross paths", "careful", "thank", "again",
    "glad", "happy", "delighted", "wish", "hope", "grateful", "all the best", "also",
    "really", "genuinely", "so much", "pleasure", "excited", "keen", "appreciat", "future",
    "best", "interest", "time that suits", "step back", "considered", "considering",
    "welcome", "should", "appeal", "pleased", "great", "offer of",
)  # fmt: skip

SUBJECT = {
    K.DECLINE_INTERVIEW: {
        FORMAL: (
            "Declining the interview for the {title} role",
            "Declining your interview invitation for the {title} role",
            "Declining the {title} interview, with thanks",
        ),
        WARM: ("Declining the {title} interview", "Declining the {title} interview, with thanks"),
    },
    K.DEFER_INTERVIEW: {
        FORMAL: (
            "Rescheduling the {title} interview",
            "Request to move the {title} interview",
            "A new time for the {title} interview",
        ),
        WARM: (
            "Could we find another time for the {title} interview?",
            "Moving the {title} interview",
        ),
    },
    K.WITHDRAW: {
        FORMAL: (
            "Withdrawing my application for the {title} role",
            "Withdrawal of my application: {title}",
            "My application for the {title} role",
        ),
        WARM: ("Withdrawing from the {title} process", "Stepping out of the {title} process"),
    },
    K.THANK_YOU_INTERVIEW: {
        FORMAL: (
            "Thank you for the {title} interview",
            "Thank you for our conversation about the {title} role",
        ),
        WARM: (
            "Thanks for the conversation about the {title} role",
            "Thank you for the {title} chat",
        ),
    },
    K.THANK_YOU_AFTER_DECLINE: {
        FORMAL: ("Thank you for the {title} process", "With thanks, after the {title} process"),
        WARM: ("Thanks again for the {title} process", "A thank-you after the {title} process"),
    },
    K.FOLLOW_UP: {
        FORMAL: (
            "Following up on my application for the {title} role",
            "My application for the {title} role",
            "Checking in on the {title} role",
        ),
        WARM: ("Checking in on the {title} role", "Following up on the {title} role"),
    },
    K.DECLINE_OFFER: {
        FORMAL: (
            "Declining the offer for the {title} role",
            "Declining your offer for the {title} role, with thanks",
        ),
        WARM: ("Declining the {title} offer", "Declining the {title} offer, with thanks"),
    },
    K.ACCEPT_OFFER: {
        FORMAL: (
            "Accepting your offer for the {title} role",
            "Acceptance of the offer for the {title} role",
        ),
        WARM: ("Happily accepting the {title} offer", "Accepting the {title} offer with pleasure"),
    },
}

# The thanks that opens the message (a follow-up opens with a greeting and thanks at the end).
THANKS = {
    K.DECLINE_INTERVIEW: {
        FORMAL: (
            "Thank you for inviting me to interview for {role}{on}, and for the time you have "
            "spent on my application.",
            "Thank you for the invitation to interview for {role}{on}; I appreciate the "
            "attention you have given my application.",
            "I am grateful for the invitation to interview for {role}{on}, and for the "
            "consideration you have given my application.",
        ),
        WARM: (
            "Thank you so much for inviting me to interview for {role}{on}, and for the time "
            "you've given my application.",
            "I really appreciate the invitation to interview for {role}{on}, and the time "
            "you've spent on my application.",
            "Thanks so much for the invitation to interview for {role}{on}; it was good of you "
            "to spend time on my application.",
        ),
    },
    K.DEFER_INTERVIEW: {
        FORMAL: (
            "Thank you for inviting me to interview for {role}.",
            "Thank you for the invitation to interview for {role}; I am pleased to be considered.",
        ),
        WARM: (
            "Thanks so much for inviting me to interview for {role}.",
            "Thank you for the invitation to interview for {role}; I'm really pleased to be "
            "considered.",
        ),
    },
    K.WITHDRAW: {
        FORMAL: (
            "Thank you for the time {you} spent with me during the process for {role}.",
            "Thank you for considering me for {role}, and for the time {you} given me.",
            "I am grateful for the time {you} spent with me during the process for {role}.",
        ),
        WARM: (
            "Thank you for all the time {you} given me during the process for {role}.",
            "Thanks so much for considering me for {role}, and for all the time {you} given me.",
        ),
    },
    K.THANK_YOU_INTERVIEW: {
        FORMAL: (
            "Thank you for taking the time to speak with me{on} about {role}.",
            "Thank you for meeting me{on} to discuss {role}.",
        ),
        WARM: (
            "Thank you for taking the time to talk with me{on} about {role}.",
            "Thanks so much for meeting me{on} to talk about {role}.",
        ),
    },
    K.THANK_YOU_AFTER_DECLINE: {
        FORMAL: (
            "Thank you once more for considering me for {role}, and for the time you spent "
            "with me during the process.",
            "Thank you for considering me for {role}; I valued the time you gave me during the "
            "process.",
        ),
        WARM: (
            "Thanks again for considering me for {role}, and for all the time you gave me.",
            "Thank you for considering me for {role}. The time you gave me during the process "
            "meant a lot.",
        ),
    },
    K.FOLLOW_UP: {
        FORMAL: (
            "I hope you are well. I am following up on my application for {role}{conv}.",
            "I hope this finds you well. I would like to follow up on my application for "
            "{role}{conv}.",
        ),
        WARM: (
            "I hope you're doing well. I wanted to follow up on my application for {role}{conv}.",
            "Hope all is well with you! I'm just following up on my application for {role}{conv}.",
        ),
    },
    K.DECLINE_OFFER: {
        FORMAL: (
            "Thank you very much for offering me {role}, and for the time and care you put "
            "into the process.",
            "Thank you for offering me {role}; I appreciate the care you put into the process.",
        ),
        WARM: (
            "Thank you so much for offering me {role}, and for all the care you put into the "
            "process.",
            "Thanks so much for the offer of {role}, and for making the process such a good one.",
        ),
    },
    K.ACCEPT_OFFER: {
        FORMAL: (
            "Thank you for offering me {role}.",
            "Thank you very much for the offer of {role}.",
        ),
        WARM: (
            "Thank you so much for offering me {role}.",
            "Thanks so much for the offer of {role}.",
        ),
    },
}

# The decision, or the point of the message, in plain words.
DECISION = {
    K.DECLINE_INTERVIEW: {
        FORMAL: (
            "I have decided to decline the interview and withdraw my application.",
            "Having thought it over, I have decided to decline the interview and withdraw my "
            "application.",
            "On reflection, I have decided to decline the interview and withdraw my application.",
            "After some reflection, I have decided to decline the interview and withdraw my "
            "application.",
        ),
        WARM: (
            "I've decided to decline the interview and withdraw my application.",
            "Having thought it through, I've decided to decline the interview and withdraw my "
            "application.",
            "After some thought, I'm going to decline the interview and withdraw my application.",
        ),
    },
    K.DEFER_INTERVIEW: {
        FORMAL: (
            "I remain very interested, but I am unable to attend{at_time}. Would it be possible "
            "to reschedule for a later date?",
            "Unfortunately I cannot attend{at_time}, although the role still appeals to me "
            "greatly. Could we move the interview to another date?",
        ),
        WARM: (
            "I'm still very keen, but I can't make it{at_time}. Could we find a later time?",
            "Sadly I can't make it{at_time}, but the role still appeals to me a lot. Would it "
            "be possible to move the interview to another time?",
        ),
    },
    K.WITHDRAW: {
        FORMAL: (
            "I have decided to withdraw my application.",
            "After some reflection, I have decided to withdraw my application.",
            "Please accept this note as the withdrawal of my application.",
        ),
        WARM: (
            "I've decided to withdraw my application.",
            "I've thought it over and decided to withdraw my application.",
        ),
    },
    K.THANK_YOU_INTERVIEW: {
        FORMAL: (
            "I enjoyed our conversation, and it has made me even more interested in joining the "
            "team.",
            "Our conversation confirmed how much I would like to join the team.",
        ),
        WARM: (
            "I really enjoyed our conversation, and I'm even more excited about the chance to "
            "join the team.",
            "Our chat made me even keener to join the team.",
        ),
    },
    K.THANK_YOU_AFTER_DECLINE: {FORMAL: ("",), WARM: ("",)},
    K.FOLLOW_UP: {
        FORMAL: (
            "I remain very interested in the role and would be grateful for any update on the "
            "next steps or your timeline.",
            "The role still appeals to me greatly, and any news on the next steps or your "
            "timeline would be most welcome.",
        ),
        WARM: (
            "I'm still very interested in the role and would be grateful for any news on next "
            "steps or timing.",
            "The role still appeals to me a lot, so any news on next steps or timing would be "
            "very welcome.",
        ),
    },
    K.DECLINE_OFFER: {
        FORMAL: (
            "After careful consideration, I have decided to decline the offer.",
            "Having weighed it carefully, I have decided to decline the offer.",
            "On reflection, I have decided to decline the offer.",
        ),
        WARM: (
            "After a lot of thought, I've decided to decline the offer.",
            "I've thought hard about it and decided to decline the offer.",
        ),
    },
    K.ACCEPT_OFFER: {
        FORMAL: ("I am delighted to accept.", "I am very pleased to accept it."),
        WARM: ("I'm delighted to accept!", "I'm thrilled to accept it."),
    },
}

# A later interview: the times the user offers, or flexibility.
TIMES = {
    FORMAL: ("Any of these times would suit me: {times}.", "For example, I could do {times}."),
    WARM: ("Any of these would work for me: {times}.", "For example, I could do {times}."),
}
FLEXIBLE = {
    FORMAL: (
        "I am glad to fit around your schedule.",
        "Any time that suits your diary would work for me.",
    ),
    WARM: ("I'm happy to fit around your schedule.", "Whatever suits you works for me."),
}

# An acceptance: the start date and next steps, when the user gives them.
START = {
    FORMAL: ("I can confirm that I will start on {start}.", "I am glad to confirm {start} as my start date."),
    WARM: ("I'm happy to confirm {start} as my start date.", "{start} works well for me as a start date."),
}  # fmt: skip
STEPS = {
    FORMAL: ("I understand the next step is {steps}, and I will be ready for it.", "As the next step, I will look out for {steps}."),
    WARM: ("I understand the next step is {steps}, and I'll be ready.", "Next, I'll look out for {steps}."),
}  # fmt: skip
NO_DETAILS = {
    FORMAL: (
        "I look forward to receiving the written offer and confirming my start date. Please "
        "let me know anything else you need from me.",
        "Please send the written offer when it is ready, and tell me anything else you need "
        "from me to agree a start date.",
    ),
    WARM: (
        "I look forward to getting the written offer and settling my start date. Just let me "
        "know anything else you need from me.",
        "Do send the written offer when it's ready, and tell me anything else you need to "
        "settle a start date.",
    ),
}

LIKED = {
    K.DECLINE_INTERVIEW: {
        FORMAL: ("I was genuinely impressed by {liked}.", "{Liked} stood out to me."),
        WARM: ("I was really impressed by {liked}.", "{Liked} really stood out to me."),
    },
    K.DEFER_INTERVIEW: {
        FORMAL: (
            "I am looking forward to learning more about {liked}.",
            "I would very much like to hear more about {liked}.",
        ),
        WARM: (
            "I'm looking forward to hearing more about {liked}.",
            "I'd love to hear more about {liked}.",
        ),
    },
    K.WITHDRAW: {
        FORMAL: (
            "I have enjoyed learning about {liked}.",
            "Learning about {liked} was a pleasure.",
        ),
        WARM: ("I really enjoyed learning about {liked}.", "It was great to learn about {liked}."),
    },
    K.THANK_YOU_INTERVIEW: {
        FORMAL: (
            "I particularly appreciated hearing about {liked}.",
            "Hearing about {liked} was a highlight for me.",
        ),
        WARM: (
            "I especially enjoyed hearing about {liked}.",
            "Hearing about {liked} was a real highlight.",
        ),
    },
    K.THANK_YOU_AFTER_DECLINE: {
        FORMAL: (
            "I came away with real respect for {liked}.",
            "{Liked} left a lasting impression on me.",
        ),
        WARM: ("I came away with a lot of respect for {liked}.", "{Liked} really stayed with me."),
    },
    K.FOLLOW_UP: {
        FORMAL: (
            "I am especially drawn to {liked}.",
            "{Liked} is a large part of why the role appeals to me.",
        ),
        WARM: ("I'm especially drawn to {liked}.", "{Liked} is a big part of why I'm keen."),
    },
    K.DECLINE_OFFER: {
        FORMAL: ("I was genuinely impressed by {liked}.", "{Liked} made this a hard decision."),
        WARM: ("I was really impressed by {liked}.", "{Liked} made this a hard choice."),
    },
    K.ACCEPT_OFFER: {
        FORMAL: (
            "{Liked} played a large part in my decision.",
            "I was especially drawn to {liked}.",
        ),
        WARM: ("{Liked} was a big part of my decision.", "I'm especially excited about {liked}."),
    },
}

DOOR = {
    FORMAL: (
        "I hope our paths cross again, and I would be glad to be considered for future openings.",
        "I would welcome the chance to be considered for future openings.",
        "Should a suitable role come up in future, I would be pleased to hear from you.",
    ),
    WARM: (
        "I hope our paths cross again, and I'd love to stay in touch about future openings.",
        "I'd love to hear from you if something else comes up in future.",
        "Let's stay in touch; I'd be pleased to hear about future openings.",
    ),
}
DOOR_AFTER_DECLINE = {
    FORMAL: ("I hope we will cross paths again.", "I would be pleased to stay in touch."),
    WARM: ("I hope we cross paths again.", "It would be great to stay in touch."),
}
REFERRAL = {
    FORMAL: (
        "If it would help, I would be happy to suggest someone from my network who may be a "
        "strong fit.",
        "Should it help, I can suggest someone from my network who could be a strong fit.",
    ),
    WARM: (
        "If it helps, I'd be happy to point you to someone in my network who could be a great fit.",
        "I know people who might be a great fit, and I'm glad to pass on a name.",
    ),
}
LATER_CALL = {
    K.DEFER_INTERVIEW: {
        FORMAL: (
            "A brief call to find a time that suits you would be fine by me.",
            "If easier, a quick call to settle on a time would suit me well.",
        ),
        WARM: (
            "Happy to hop on a quick call to find a time that suits you.",
            "If it's easier, a quick call to pick a time works for me.",
        ),
    },
    K.ACCEPT_OFFER: {
        FORMAL: (
            "I would be glad to have a short call to go over the details.",
            "A short call to go over the details would be welcome.",
        ),
        WARM: (
            "I'd be glad to have a quick call to go over the details.",
            "A quick call to run through the details would be great.",
        ),
    },
    K.THANK_YOU_INTERVIEW: {
        FORMAL: (
            "I would be glad to talk again if anything needs a closer look.",
            "Should anything need a closer look, I would welcome another conversation.",
        ),
        WARM: (
            "I'd be glad to talk again if anything needs a closer look.",
            "If anything needs a closer look, I'm always up for another chat.",
        ),
    },
    K.FOLLOW_UP: {
        FORMAL: (
            "If it is easier, I would be happy to have a quick call.",
            "A short call would suit me too, if that is simpler.",
        ),
        WARM: ("If it's easier, I'm happy to have a quick call.", "A quick call works for me too."),
    },
    # Stopping kinds and thanks after a decline.
    None: {
        FORMAL: (
            "If it suits you, a short call at some point to catch up would be welcome.",
            "A short conversation at some point to catch up would be a pleasure.",
        ),
        WARM: (
            "It'd be lovely to have a quick call sometime to catch up.",
            "A quick catch-up call sometime would be lovely.",
        ),
    },
}

CLOSE = {
    "stopping": {
        FORMAL: (
            "I wish you and the team every success.",
            "With every good wish to you and the team.",
            "I wish you all the best in finding the right person.",
        ),
        WARM: (
            "All the best to you and the team.",
            "Wishing you and the team every success.",
            "I hope you find a great person for the role.",
        ),
    },
    K.DEFER_INTERVIEW: {
        FORMAL: (
            "Thank you for your flexibility. I look forward to hearing from you.",
            "I hope we can find a time that works, and I look forward to hearing from you.",
            "Please let me know what works for you; I look forward to hearing from you.",
        ),
        WARM: (
            "Thanks so much for your flexibility; I look forward to hearing from you.",
            "Hope to hear from you soon.",
            "Let me know what works for you. Speak soon!",
        ),
    },
    K.THANK_YOU_INTERVIEW: {
        FORMAL: (
            "Please let me know if I can share anything else. I look forward to hearing about "
            "the next steps.",
            "I hope to hear about the next steps soon, and can share anything else you need in "
            "the meantime.",
        ),
        WARM: (
            "Let me know if I can share anything else. I look forward to hearing about next steps.",
            "Hope to hear about next steps soon; just shout if you need anything else from me.",
        ),
    },
    K.THANK_YOU_AFTER_DECLINE: {
        FORMAL: ("I wish you and the team every success.", "With best wishes to you and the team."),
        WARM: ("Wishing you and the team every success.", "All the best to you and the team."),
    },
    K.FOLLOW_UP: {
        FORMAL: (
            "Thank you for your time. I look forward to hearing from you.",
            "Thank you for your time, and I hope to hear from you soon.",
        ),
        WARM: (
            "Thanks for your time; I look forward to hearing from you.",
            "Thanks so much, and I hope to hear from you soon.",
        ),
    },
    K.ACCEPT_OFFER: {
        FORMAL: (
            "I look forward to joining the team.",
            "It will be a pleasure to join the team.",
            "I am excited to be joining the team.",
        ),
        WARM: (
            "I can't wait to get started with the team.",
            "I'm so looking forward to joining the team.",
            "It'll be wonderful to join the team.",
        ),
    },
}

SIGN_OFF = {
    FORMAL: ("Kind regards,", "Best regards,", "With best wishes,"),
    WARM: ("Best wishes,", "All the best,", "Warm regards,"),
}

# Reason sentences: the first of each is the catalogue's own; an offer has its own wording
# for the reasons that would otherwise question the match of skills.
REASONS = {
    EndReason.OTHER_OFFER: {
        FORMAL: (
            "I have accepted another offer that fits my plans closely.",
            "I have accepted another position that suits my plans well.",
            "Another offer has come my way that suits my plans well, and I have accepted it.",
        ),
        WARM: (
            "I've accepted another offer that lines up well with where I want to go next.",
            "I've said yes to another role that fits where I want to go next.",
            "Another offer came along that fits where I want to go next, and I've taken it.",
        ),
    },
    EndReason.NOT_A_FIT: {
        FORMAL: (
            "After careful thought, I believe the role is not the right match for my skills and "
            "goals at this point.",
            "I have come to feel that the role is not the right match for my skills and goals "
            "at this point.",
        ),
        WARM: (
            "After thinking it over carefully, I don't think the role is the right match for my "
            "skills and goals right now.",
            "I've come to feel the role isn't the right match for my skills and goals right now.",
        ),
    },
    EndReason.CULTURE: {
        FORMAL: (
            "Having learned more about the team, I do not think I would be the best match for "
            "it, and it is fairer to say so now.",
            "Having learned more about how the team works, I believe a different setting would "
            "suit me better.",
        ),
        WARM: (
            "Having learned more about the team, I don't think I'd be the best match for it, and "
            "I'd rather say so now.",
            "Having learned more about how the team works, I think a different setting would "
            "suit me better.",
        ),
    },
    EndReason.LOCATION: {
        FORMAL: (
            "The location does not suit my circumstances at the moment.",
            "The location does not work with my circumstances at present.",
        ),
        WARM: (
            "The location doesn't work for my circumstances at the moment.",
            "The location just doesn't fit my circumstances right now.",
        ),
    },
    EndReason.COMPENSATION: {
        FORMAL: (
            "I am looking for a package that gives me a little more financial security at this "
            "stage of my career.",
            "At this stage of my career, I need a package with a little more financial security.",
        ),
        WARM: (
            "I'm looking for a package that gives me a bit more financial security at this "
            "stage of my career.",
            "At this point in my career I need a package with a bit more financial security.",
        ),
    },
    EndReason.PERSONAL: {
        FORMAL: (
            "A change in my personal circumstances means I need to step back.",
            "My personal circumstances have changed, and I need to step back.",
        ),
        WARM: (
            "A change in my personal circumstances means I need to step back.",
            "Things have changed for me personally, and I need to step back.",
        ),
    },
    EndReason.LOST_INTEREST: {
        FORMAL: (
            "My priorities have shifted, and this is no longer the right next step for me.",
            "My plans have changed, and this is no longer the right next step for me.",
        ),
        WARM: (
            "My priorities have shifted, and this isn't the right next step for me anymore.",
            "My plans have moved on, and this isn't the right next step for me anymore.",
        ),
    },
}
OFFER_REASONS = {
    EndReason.NOT_A_FIT: {
        FORMAL: (
            "On reflection, the role is not the right next step for my career at this point.",
            "Having weighed the offer against my plans, I have concluded that the role is not "
            "the right next step for me.",
        ),
        WARM: (
            "On reflection, the role isn't quite the right next step for my career right now.",
            "Weighing it against my plans, I've concluded the role isn't the right next step "
            "for me.",
        ),
    },
    EndReason.CULTURE: {
        FORMAL: (
            "Thinking about how I work best, I believe a different setting would suit me better.",
            "On reflection, I believe a different working setting would suit me better.",
        ),
        WARM: (
            "Thinking about how I work best, I think a different setting would suit me better.",
            "On reflection, I think a different kind of setting would suit me better.",
        ),
    },
}

# --- Spoken: the call script and the voicemail --------------------------------------------

SPOKEN_INTRO = {
    FORMAL: (
        "Hello{contact}, this is {name}, calling about the {title} role at {company}.",
        "Hello{contact}, my name is {name}, and I'm calling about the {title} role at {company}.",
    ),
    WARM: (
        "Hi{contact}, it's {name}, calling about the {title} role at {company}.",
        "Hi{contact}, {name} here, about the {title} role at {company}.",
    ),
}
SPOKEN_INTRO[""] = ("Hello{contact}, I'm calling about the {title} role at {company}.",)
SPOKEN_MOMENT = {
    FORMAL: ("Is now a good moment for a couple of minutes?", "Do you have two minutes to talk?"),
    WARM: ("Is now a good moment?", "Have you got a couple of minutes?"),
}
SPOKEN_DECISION = {
    K.DECLINE_INTERVIEW: {
        FORMAL: (
            "I've decided not to go ahead with the interview, and to withdraw my application.",
        ),
        WARM: (
            "I've decided not to go ahead with the interview, so I'm withdrawing my application.",
        ),
    },
    K.DEFER_INTERVIEW: {
        FORMAL: ("I can't make the interview time, and I'd like to ask whether we could move it.",),
        WARM: ("I can't make the interview time. Could we move it?",),
    },
    K.WITHDRAW: {
        FORMAL: ("I've decided to withdraw my application.",),
        WARM: ("I've decided to step out of the process.",),
    },
    K.THANK_YOU_INTERVIEW: {
        FORMAL: ("I really enjoyed our conversation, and I'm even more interested in the role.",),
        WARM: ("I loved our conversation, and I'm even keener on the role now.",),
    },
    K.THANK_YOU_AFTER_DECLINE: {
        FORMAL: ("I wanted to say thank you properly for the whole process.",),
        WARM: ("I just wanted to say a proper thank-you for the whole process.",),
    },
    K.FOLLOW_UP: {
        FORMAL: (
            "I'm still very interested, and I wondered whether there's any news on next steps.",
        ),
        WARM: ("I'm still really keen, and wondered if there's any news.",),
    },
    K.DECLINE_OFFER: {
        FORMAL: ("I've thought hard about your offer, and I've decided to decline it.",),
        WARM: ("I've thought it over, and I've decided to say no to the offer.",),
    },
    K.ACCEPT_OFFER: {
        FORMAL: ("I'm delighted to accept your offer.",),
        WARM: ("I'd love to accept the offer.",),
    },
}
SPOKEN_THANKS = {
    "stopping": {
        FORMAL: ("Thank you for your time and for considering me.",),
        WARM: ("Thanks so much for your time and for considering me.",),
    },
    K.DECLINE_OFFER: {
        FORMAL: ("Thank you for the offer, and for the care you put into the process.",),
        WARM: ("Thank you so much for the offer, and for a really good process.",),
    },
    K.ACCEPT_OFFER: {
        FORMAL: ("Thank you for the offer, and for everything during the process.",),
        WARM: ("Thank you so much for the offer.",),
    },
    None: {
        FORMAL: ("Thank you for your time.",),
        WARM: ("Thanks so much for your time.",),
    },
}
# What to say if they ask why (or ask for more), in the caller's words.
SPOKEN_WHY = {
    "": "It simply isn't the right step for me at the moment, and I wanted to be clear with you.",
    "given": "That's really the heart of it, and I'd rather keep it simple.",
    K.DEFER_INTERVIEW: "Something I can't move has come up at that time.",
}
SPOKEN_OPTIONS = {
    "door": "I'd be glad to hear from you if something else comes up.",
    "referral": "If it helps, I can suggest someone who might be a good fit.",
    K.DEFER_INTERVIEW: "Could we pick a new time now, while we're talking?",
    K.ACCEPT_OFFER: "Is now a good time to go over the details, or shall we set a time?",
    K.THANK_YOU_INTERVIEW: "I'm glad to talk again if anything needs a closer look.",
}
SPOKEN_CLOSE = {
    "stopping": {
        FORMAL: "All the best to you and the team. Goodbye.",
        WARM: "All the best. Bye for now.",
    },
    K.DEFER_INTERVIEW: {
        FORMAL: "I look forward to seeing you then. Goodbye.",
        WARM: "Speak soon. Bye!",
    },
    K.ACCEPT_OFFER: {
        FORMAL: "I look forward to starting. Goodbye.",
        WARM: "I can't wait to start. Bye!",
    },
    None: {FORMAL: "Have a good day. Goodbye.", WARM: "Have a great day. Bye!"},
}

OFFER_KINDS = (K.DECLINE_OFFER, K.ACCEPT_OFFER)
VOICEMAIL_POINT = {
    K.DECLINE_INTERVIEW: {
        FORMAL: "I've decided to decline the interview and withdraw my application.",
        WARM: "I've decided not to go ahead with the interview, and to withdraw.",
    },
    K.DEFER_INTERVIEW: {
        FORMAL: "I can't make the interview time, and I'd like to ask about moving it.",
        WARM: "I can't make the interview time; could we move it?",
    },
    K.WITHDRAW: {
        FORMAL: "I've decided to withdraw my application.",
        WARM: "I've decided to step out of the process.",
    },
    K.THANK_YOU_INTERVIEW: {
        FORMAL: "Thank you for the interview; I enjoyed it and I'm very interested in the role.",
        WARM: "Thanks for the interview; I loved it and I'm really keen on the role.",
    },
    K.THANK_YOU_AFTER_DECLINE: {
        FORMAL: "I wanted to thank you for considering me and for your time during the process.",
        WARM: "I just wanted to thank you for your time during the process.",
    },
    K.FOLLOW_UP: {
        FORMAL: "I'm still very interested and would be grateful for any update.",
        WARM: "I'm still really keen, and would love any news.",
    },
    K.DECLINE_OFFER: {
        FORMAL: "Thank you very much for the offer; after careful thought, I've decided to decline it.",
        WARM: "Thank you so much for the offer; I've thought hard, and I've decided to decline it.",
    },
    K.ACCEPT_OFFER: {
        FORMAL: "Thank you very much for the offer; I'm delighted to accept it.",
        WARM: "Thank you so much for the offer; I'm delighted to accept!",
    },
}
VOICEMAIL_REASON = {
    EndReason.OTHER_OFFER: "I've accepted another offer.",
    EndReason.NOT_A_FIT: "It isn't the right next step for me.",
    EndReason.CULTURE: "A different setting would suit me better.",
    EndReason.LOCATION: "The location doesn't work for me.",
    EndReason.COMPENSATION: "I need a package with a little more security.",
    EndReason.PERSONAL: "My circumstances have changed.",
    EndReason.LOST_INTEREST: "My plans have changed.",
}
VOICEMAIL_OPTIONS = {
    "door": "I'd be glad to stay in touch.",
    "referral": "I can suggest someone who might fit.",
    K.DEFER_INTERVIEW: "I'm happy to agree a time by phone.",
    K.ACCEPT_OFFER: "I'm happy to go over the details by phone.",
}
VOICEMAIL_CALLBACK = {
    "phone": "You can call me back on {phone}, and I'll send an email too.",
    "": "I'll send you an email as well.",
}
VOICEMAIL_CLOSE = {FORMAL: "Have a good day.", WARM: "Take care."}
