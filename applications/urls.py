from django.urls import path

from applications.views import actions, contacts, dashboard, followups, pages, postings

app_name = "applications"

urlpatterns = [
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("applications/", pages.application_list, name="list"),
    path("applications/board/", pages.board, name="board"),
    path("applications/new/", pages.application_create, name="create"),
    path("applications/new/from-posting/", postings.posting_read, name="posting_read"),
    path("applications/new/from-posting/save/", postings.posting_save, name="posting_save"),
    path("applications/company-history/", pages.company_history, name="company_history"),
    path("applications/<int:pk>/", pages.application_detail, name="detail"),
    path("applications/<int:pk>/edit/", pages.application_edit, name="edit"),
    path("applications/<int:pk>/archive/", pages.application_archive, name="archive"),
    path("applications/<int:pk>/delete/", pages.application_delete, name="delete"),
    path("applications/<int:pk>/move/", actions.application_move, name="move"),
    path("applications/<int:pk>/invitation/", actions.invitation_received, name="invitation"),
    path(
        "applications/<int:pk>/interviews/new/", actions.interview_create, name="interview_create"
    ),
    path(
        "applications/<int:pk>/interviews/<int:interview_pk>/",
        actions.interview_edit,
        name="interview_edit",
    ),
    path(
        "applications/<int:pk>/interviews/<int:interview_pk>/held/",
        actions.interview_held,
        name="interview_held",
    ),
    path(
        "applications/<int:pk>/interviews/<int:interview_pk>/cancel/",
        actions.interview_cancel,
        name="interview_cancel",
    ),
    path("applications/<int:pk>/offer/", actions.offer_record, name="offer"),
    path("applications/<int:pk>/notes/", actions.note_add, name="note_add"),
    path("followups/", followups.followup_list, name="followups"),
    path("followups/<int:followup_pk>/snooze/", followups.followup_snooze, name="followup_snooze"),
    path(
        "followups/<int:followup_pk>/dismiss/",
        followups.followup_dismiss,
        name="followup_dismiss",
    ),
    path("followups/<int:followup_pk>/done/", followups.followup_done, name="followup_done"),
    path("contacts/", contacts.contact_list, name="contacts"),
    path("contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", contacts.contact_delete, name="contact_delete"),
]
