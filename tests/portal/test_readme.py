"""Every command the README shows works right after `make run`, in the order shown."""

from __future__ import annotations

import re
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

README = Path(settings.BASE_DIR) / "README.md"
MARKER = "tests/portal/test_readme.py runs"


def readme_commands() -> list[str]:
    """The `python manage.py …` lines of the README's blocks marked for this test."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(re.escape(MARKER) + r".*?```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("python manage.py "):
                commands.append(line.removeprefix("python manage.py "))
    return commands


def test_the_readme_has_commands_to_run():
    assert len(readme_commands()) >= 5


@pytest.mark.django_db(transaction=True)
def test_readme_commands_work_in_order_after_the_demo(tmp_path, monkeypatch):
    call_command("load_demo", stdout=StringIO())
    monkeypatch.chdir(tmp_path)
    for command in readme_commands():
        words = shlex.split(command)
        target = None
        if ">" in words:  # `… > file`: the command's standard output into a file
            target = tmp_path / words[words.index(">") + 1]
            words = words[: words.index(">")]
        out = StringIO()
        call_command(*words, stdout=out, stderr=StringIO())
        if target is not None:
            target.write_text(out.getvalue(), encoding="utf-8")
            assert target.stat().st_size > 0, command
