from django import forms

from inbox.addresses import HostRefused, check_security, normalise_host
from inbox.models import Mailbox, Security
from inbox.services import Settings


class MailboxForm(forms.Form):
    host = forms.CharField(
        label="IMAP server",
        max_length=253,
        help_text="For example imap.gmail.com, outlook.office365.com, imap.mail.me.com.",
    )
    security = forms.ChoiceField(choices=Security.choices, initial=Security.TLS)
    port = forms.IntegerField(min_value=1, max_value=65535, initial=993)
    username = forms.CharField(
        label="User name", max_length=320, help_text="Usually your full email address."
    )
    password = forms.CharField(
        label="App password",
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="An app password made for Bridges in your provider's security settings. "
        "It is stored encrypted and never shown again.",
    )
    read_last_30_days = forms.BooleanField(
        label="Also read the last 30 days of mail",
        required=False,
        help_text="Otherwise Bridges reads only what arrives from now on.",
    )

    @classmethod
    def for_mailbox(cls, mailbox: Mailbox | None, data=None) -> "MailboxForm":
        initial = {}
        if mailbox:
            initial = {
                "host": mailbox.host,
                "port": mailbox.port,
                "security": mailbox.security,
                "username": mailbox.username,
            }
        return cls(data, initial=initial)

    def clean_host(self) -> str:
        try:
            return normalise_host(self.cleaned_data["host"])
        except HostRefused as refused:
            raise forms.ValidationError(str(refused)) from None

    def clean(self):
        data = super().clean()
        if data.get("host") and data.get("security"):
            try:
                check_security(data["host"], data["security"])
            except HostRefused as refused:
                self.add_error("security", str(refused))
        return data

    def settings(self) -> Settings:
        data = self.cleaned_data
        return Settings(data["host"], data["port"], data["security"], data["username"].strip())
