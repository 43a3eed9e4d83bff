"""Test settings: plain static storage (live_server serves from the finders), fast hashing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Uploaded files (signed copies) of the tests go to a throw-away directory, never into the checkout.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="xhht-test-media-"))
