from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages

from accounts import devices


class AccountAdapter(DefaultAccountAdapter):
    """allauth's flows, with login throttling that cannot be turned against the owner."""

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        devices.remember(request, response, user.email)
        return response

    def get_email_verification_redirect_url(self, email_address) -> str:
        if not self.request.user.is_authenticated:
            # Confirmed in another browser than the one that signed up: a link alone logs
            # nobody in, so the login page it leads to says what to do next.
            messages.info(self.request, "Now log in with it to start.")
        return super().get_email_verification_redirect_url(email_address)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failed logins per address under this key. A browser that has logged
        # in to the account before counts separately, so a stranger's failures never lock it.
        key = super()._get_login_attempts_cache_key(request, **credentials)
        login = credentials.get("email", credentials.get("username", ""))
        return f"{key}:known-device" if devices.is_known(request, login) else key
