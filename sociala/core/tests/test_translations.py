"""The English translation is complete: every Swedish string in code and templates has an English msgstr.

The committed catalogue is sociala/locale/en/LC_MESSAGES/django.po. The .mo is built from it by
`make messages` (compilemessages) and is not committed. These tests

- parse the committed .po and require every entry to be translated, none fuzzy, with the same
  placeholders as the msgid;
- check it with msgfmt (format strings, plural forms, header);
- run makemessages on a temporary copy of the source tree and require every msgid found there to be
  translated in the committed .po, so that a new Swedish string without an English translation fails.

When they fail: run `cd sociala && SOCIALA_DEMO_MODE=1 ../.venv/bin/python ../manage.py makemessages
-l en --no-location --no-obsolete --ignore 'tests/*' --ignore '*/tests/*'`, translate the new entries
in the .po, and run `make messages`.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess  # noqa: S404 - runs Django's makemessages and GNU msgfmt on our own files
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # .../sociala (the Django package)
PROJECT_DIR = PACKAGE_DIR.parent
PO_PATH = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MAKEMESSAGES_IGNORE = ["tests/*", "*/tests/*"]

# %(name)s, %s, %d, %% ... (python-format) and {name} (python-brace-format).
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[a-zA-Z%]")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HTML_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)]
        return [self.msgstr]

    def is_translated(self) -> bool:
        translations = self.translations
        return bool(translations) and all(t.strip() for t in translations)


def _unquote(literal: str, where: str) -> str:
    literal = literal.strip()
    if not (len(literal) >= 2 and literal[0] == '"' and literal[-1] == '"'):
        raise ValueError(f"{where}: expected a quoted string, got {literal!r}")
    # PO strings use C escapes; a Python string literal reads the ones gettext writes (\" \\ \n \t).
    return ast.literal_eval(literal)


def parse_po(path: Path) -> list[Entry]:
    """A small parser for the PO files that xgettext/msgmerge write: msgctxt, msgid, msgid_plural,
    msgstr and msgstr[n], each possibly spread over several quoted lines; '#,' flags; '#~' obsolete
    entries. The header (empty msgid) is returned as the first entry."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: str | None = None  # which field the continuation lines belong to
    pending_flags: set[str] = set()
    pending_comments: list[str] = []
    seen_field = False

    def finish():
        nonlocal current, target, seen_field
        if current is not None and seen_field:
            entries.append(current)
        current, target, seen_field = None, None, False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path.name}:{number}"
        line = raw.strip()
        obsolete = False
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
        elif line.startswith("#"):
            if current is not None and seen_field:
                finish()
            if line.startswith("#,"):
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            else:
                pending_comments.append(raw)
            continue
        if not line:
            finish()
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{where}: continuation line outside an entry")
            value = _unquote(line, where)
            if target.startswith("msgstr["):
                index = int(target[7:-1])
                current.msgstr_plural[index] += value
            else:
                setattr(current, target, getattr(current, target) + value)
            continue
        if keyword in ("msgctxt", "msgid") and current is not None and seen_field:
            # A new entry without a blank line before it: msgctxt/msgid after a msgstr.
            if target is not None and target.startswith("msgstr"):
                finish()
        if current is None:
            current = Entry(flags=pending_flags, comments=pending_comments, obsolete=obsolete, line=number)
            pending_flags, pending_comments = set(), []
        value = _unquote(rest, where)
        seen_field = True
        if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            setattr(current, keyword, value)
            target = keyword
        elif re.fullmatch(r"msgstr\[\d+\]", keyword):
            index = int(keyword[7:-1])
            current.msgstr_plural[index] = value
            target = keyword
        else:
            raise ValueError(f"{where}: unknown keyword {keyword!r}")
    finish()
    return entries


def messages(path: Path) -> dict[tuple[str | None, str], Entry]:
    """The live (non-obsolete) entries, header excluded, by (msgctxt, msgid)."""
    return {e.key: e for e in parse_po(path) if not e.obsolete and e.msgid != ""}


def placeholders(text: str, flags: set[str]) -> list[str]:
    found = []
    if "python-format" in flags:
        found += [p for p in PERCENT_PLACEHOLDER.findall(text) if p != "%%"]
    if "python-brace-format" in flags:
        found += BRACE_PLACEHOLDER.findall(text)
    found += [f"<{tag.lower()}>" for tag in HTML_TAG.findall(text)]
    return sorted(found)


@pytest.fixture(scope="module")
def committed():
    assert PO_PATH.exists(), f"{PO_PATH} is missing"
    return messages(PO_PATH)


def test_header_declares_english_utf8_and_two_plural_forms():
    header = parse_po(PO_PATH)[0]
    assert header.msgid == "", "the .po must start with its header"
    assert "fuzzy" not in header.flags, "remove the fuzzy flag from the header"
    assert "Language: en\n" in header.msgstr
    assert "charset=UTF-8" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr


def test_every_entry_is_translated_and_not_fuzzy(committed):
    assert committed, "the catalogue is empty"
    untranslated = [e.msgid for e in committed.values() if not e.is_translated()]
    fuzzy = [e.msgid for e in committed.values() if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy (check, then remove the flag): {fuzzy[:20]}"


def test_plural_entries_have_both_forms(committed):
    for entry in committed.values():
        if entry.msgid_plural is not None:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid


def test_placeholders_and_tags_are_kept(committed):
    for entry in committed.values():
        expected = placeholders(entry.msgid, entry.flags)
        if entry.msgid_plural is not None:
            plural = placeholders(entry.msgid_plural, entry.flags)
            for n, text in entry.msgstr_plural.items():
                assert placeholders(text, entry.flags) == (expected if n == 0 else plural), (
                    f"placeholders differ in msgstr[{n}] of {entry.msgid!r}"
                )
        else:
            assert placeholders(entry.msgstr, entry.flags) == expected, (
                f"placeholders differ in {entry.msgid!r}: {entry.msgstr!r}"
            )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_the_catalogue(tmp_path):
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO_PATH)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _copy_ignore(directory, names):
    return {n for n in names if n in {"__pycache__", "node_modules", "locale"} or n.endswith((".pyc", ".mo"))}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_string_in_the_source_is_in_the_catalogue(tmp_path, committed):
    """makemessages on a copy of the source tree: each msgid it finds must be translated here."""
    copy = tmp_path / "src" / "sociala"
    shutil.copytree(PACKAGE_DIR, copy, ignore=_copy_ignore)
    (copy / "locale").mkdir()
    # Settings that point LOCALE_PATHS at the copy, so makemessages never touches the real catalogue.
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "i18n_check_settings.py").write_text(
        f"from sociala.settings import *  # noqa: F403\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "i18n_check_settings",
        "PYTHONPATH": os.pathsep.join([str(settings_dir), str(PROJECT_DIR)]),
        "SOCIALA_DEMO_MODE": "1",
    }
    command = [sys.executable, str(PROJECT_DIR / "manage.py"), "makemessages", "-l", "en"]
    command += ["--no-location", "--no-obsolete"]
    for pattern in MAKEMESSAGES_IGNORE:
        command += ["--ignore", pattern]
    result = subprocess.run(  # noqa: S603
        command, cwd=copy, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    fresh_po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert fresh_po.exists(), f"makemessages wrote no catalogue: {result.stdout}{result.stderr}"
    fresh = messages(fresh_po)
    assert fresh, "makemessages found no strings at all"

    missing = sorted(e.msgid for key, e in fresh.items() if key not in committed)
    untranslated = sorted(
        e.msgid for key, e in fresh.items() if key in committed and not committed[key].is_translated()
    )
    plural_mismatch = sorted(
        e.msgid
        for key, e in fresh.items()
        if key in committed and (e.msgid_plural is None) != (committed[key].msgid_plural is None)
    )
    assert not missing, (
        f"{len(missing)} string(s) in the source are not in {PO_PATH.relative_to(PROJECT_DIR)}; "
        f"run makemessages and translate them: {missing[:20]}"
    )
    assert not untranslated, f"{len(untranslated)} string(s) are not translated: {untranslated[:20]}"
    assert not plural_mismatch, f"singular/plural differs from the source: {plural_mismatch[:20]}"


def test_compiled_catalogue_maps_every_msgid(tmp_path, committed):
    """The catalogue, compiled, turns each Swedish msgid into its English msgstr (no built .mo needed)."""
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    import gettext

    mo = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(PO_PATH)], check=True, capture_output=True)  # noqa: S603, S607
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in committed.values():
        if entry.msgid_plural is None and entry.msgctxt is None:
            assert catalogue.gettext(entry.msgid) == entry.msgstr


@pytest.mark.skipif(
    not PO_PATH.with_suffix(".mo").exists(), reason="the .mo is not built (run `make messages`)"
)
def test_django_switches_to_english():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("Logga in") == "Log in"
        assert translation.ngettext("%(n)s händelse", "%(n)s händelser", 2) % {"n": 2} == "2 events"
    with translation.override("sv"):
        assert translation.gettext("Logga in") == "Logga in"
