"""Accessibility checks in the page: axe-core's serious and critical violations, and two
rules of issue 8 that axe does not check (44 px touch targets, readable RTL numbers).

axe.min.js ships inside the PyPI package axe-playwright-python (no CDN). It is
evaluated through the DevTools protocol, which the page's Content-Security-Policy
does not govern, so the audited page keeps its real CSP: a context with
bypass_csp=True would also let through inline styles the CSP blocks for users,
and axe would then measure a page nobody sees.
"""

from functools import cache
from pathlib import Path

BLOCKING = ("serious", "critical")
# Every rule axe runs by default, and target-size (WCAG 2.2 AA, 2.5.8), which axe leaves
# off by default; results for the violations only (the others are large and unused).
OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


@cache
def axe_source() -> str:
    """The bundled axe-core (the test extra installs axe-playwright-python)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


def violations(page) -> list[dict]:
    """Serious and critical violations on the page as it stands."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found = page.evaluate("(options) => axe.run(document, options)", OPTIONS)
    return [rule for rule in found["violations"] if rule["impact"] in BLOCKING]


def describe(rule: dict) -> list[str]:
    """One line per element: its selector and what axe says to fix."""
    lines = []
    for node in rule["nodes"]:
        parts = (" > ".join(p) if isinstance(p, list) else p for p in node["target"])
        summary = " ".join((node.get("failureSummary") or "").split())
        lines.append(f"{' '.join(parts)} — {summary}")
    return lines


# The issue's own rule for touch targets: at least 44 × 44 CSS px (axe's target-size
# asks for 24). A radio or checkbox counts with its label; a link inside running text is
# exempt, as in WCAG 2.5.8.
SMALL_TARGETS = """() => {
  const found = [];
  // tag#id.class of the element and its parents, up to one with an id (or three levels)
  const path = (el) => {
    const steps = [];
    for (let at = el; at && at !== document.body && steps.length < 3; at = at.parentElement) {
      steps.unshift(at.tagName.toLowerCase() + (at.id ? `#${at.id}` : '')
        + [...at.classList].map((c) => `.${c}`).join(''));
      if (at.id) break;
    }
    return steps.join(' > ');
  };
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[role=button], [role=switch], [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(selector)) {
    if (!el.checkVisibility()) continue;
    let { width, height } = el.getBoundingClientRect();
    const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
    if (label && ['radio', 'checkbox'].includes(el.type)) {
      const box = label.getBoundingClientRect();
      width = Math.max(width, box.width);
      height = Math.max(height, box.height);
    }
    const inText = el.tagName === 'A' && getComputedStyle(el).display === 'inline'
      && el.parentElement.closest('p, li, td, dd, dt');
    if (inText || (width >= 44 && height >= 44)) continue;
    const text = ((label || el).innerText || el.getAttribute('aria-label') || '').trim();
    found.push(`${path(el)} ${Math.round(width)}×${Math.round(height)} px "${text.slice(0, 40)}"`);
  }
  return found;
}"""


def small_targets(page) -> list[str]:
    """Interactive elements smaller than 44 × 44 CSS px, one line each."""
    return page.evaluate(SMALL_TARGETS)


# Arabic dates and numbers come from Babel with right-to-left marks (U+200F, U+061C)
# between their parts; inside an element forced to left-to-right those marks reorder the
# parts ("29/11/2026" shows as "292026/11/"). Numbers must stay readable (issue 8).
SCRAMBLED = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !/[\\u200f\\u061c]/.test(node.textContent)) continue;
    if (getComputedStyle(parent).direction !== 'ltr' || !parent.checkVisibility()) continue;
    let turned = parent; // the element that turns the direction to ltr (named in the report)
    while (turned.parentElement && getComputedStyle(turned.parentElement).direction === 'ltr') {
      turned = turned.parentElement;
    }
    const name = turned.tagName.toLowerCase() + [...turned.classList].map((c) => `.${c}`).join('');
    found.push(`${name} "${node.textContent.trim().replace(/[\\u200f\\u061c]/g, '')}"`);
  }
  return found;
}"""


def scrambled_numbers(page) -> list[str]:
    """Texts written for right-to-left (with RLM marks) that the page lays out left-to-right."""
    return page.evaluate(SCRAMBLED)
