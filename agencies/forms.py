from django import forms

from agencies import codes
from agencies.models import RecruiterMembership


class JoinForm(forms.Form):
    code = forms.CharField(
        label="Invitation code",
        max_length=40,
        help_text="Your recruiter gives you this code, e.g. K7PQR-M2XWZ.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = codes.normalise(self.cleaned_data["code"])
        if len(code) != codes.LENGTH:
            raise forms.ValidationError(
                "An invitation code has %(length)d letters and digits; check it with your "
                "recruiter.",
                params={"length": codes.LENGTH},
            )
        return code


class DigestForm(forms.ModelForm):
    class Meta:
        model = RecruiterMembership
        fields = ["digest_enabled"]
