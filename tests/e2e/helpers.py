"""What browser tests do on every page: sign in, and check accessibility with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

DEMO_PASSWORD = "sociala-demo"  # noqa: S105 - the published demo password, valid only in demo mode
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA: what the Swedish accessibility law (DOS-lagen, EN 301 549) requires.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form at /login/ and wait until the browser has left it."""
    page.goto("/login/")
    form = page.locator("form").filter(has=page.locator('input[name="password"]'))
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('[type="submit"]').click()
    if re.search(r"/login/(\?|$)", page.url):
        raise AssertionError(f"Signing in as {username!r} failed: still on {page.url}")


def _load_axe(page) -> None:
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} is missing: run `npm ci` (make setup).")
    # Evaluated through the DevTools protocol rather than a <script> tag, which the
    # Content-Security-Policy (script-src 'self') rightly blocks.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")


def run_axe(page, *, include: str | None = None, disable_rules: tuple[str, ...] = ()) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    _load_axe(page)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    if disable_rules:
        options["rules"] = {rule: {"enabled": False} for rule in disable_rules}
    result = page.evaluate(
        "async ([include, options]) => await window.axe.run(include || document, options)",
        [include, options],
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} [{violation.get('impact')}]: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def axe(page, *, include: str | None = None, disable_rules: tuple[str, ...] = ()) -> None:
    """Assert that the page has no WCAG 2.1 A/AA violations; print each one found."""
    violations = run_axe(page, include=include, disable_rules=disable_rules)
    if violations:
        report = format_violations(violations)
        print(f"axe-core: {len(violations)} violation(s) on {page.url}\n{report}")
        raise AssertionError(
            f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:\n{report}"
        )


def citizen_login(page, search: str, name: str) -> None:
    """Sign in to the portal from its start page through the local e-ID simulator, as the test person
    that ``search`` finds and whose button reads ``name``; axe on the simulator's page."""
    page.get_by_role("button", name="Logga in med e-legitimation").click()
    page.wait_for_url("**/eid-simulator/authorize?**")
    axe(page)
    page.fill("#q", search)
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_role("button", name=name).click()
    page.wait_for_url("**/portal/")
