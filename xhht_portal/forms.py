"""Forms of the kernel: the sign-in form."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the user name's length enforced.

    Django sets the length only on the widget, so a 10,000-character name reached authenticate();
    django-axes then stored it in its 255-character column: a 500 on PostgreSQL. Refused here, with
    Django's own (translated) message, before anything is authenticated or recorded.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
