"""Keyboard checks that axe-core cannot make (WCAG 2.2 AA 2.1.1, 2.1.2, 2.4.3, 2.4.7, 2.4.11):
walk a page with the Tab key and look at where the focus lands each time."""

import itertools

# Where the focus is now: its place in the document, whether it shows a focus indicator
# (an outline or a ring, on it or, for a visually hidden check box or radio, on its
# label), and whether a person can see it (inside the viewport, not covered).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const all = [...document.querySelectorAll('*')];
  // An invisible control (a check box drawn by its label) shows nothing itself.
  const drawn = (node) => {
    const style = getComputedStyle(node);
    const rect = node.getBoundingClientRect();
    return rect.width > 2 && rect.height > 2 && style.visibility !== 'hidden'
      && Number(style.opacity) > 0;
  };
  const shows = (node) => {
    if (!node || !drawn(node)) return false;
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return outline || (style.boxShadow && style.boxShadow !== 'none');
  };
  const label = el.labels && el.labels[0];
  const box = (shows(el) || !label ? el : label).getBoundingClientRect();
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const seen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
    && box.right > 0 && box.left < innerWidth;
  const uncovered = !!top && (el.contains(top) || top.contains(el)
    || (label && (label.contains(top) || top.contains(label))));
  const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '')
    + (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '')
    + (el.getAttribute('href') ? `[href=${el.getAttribute('href')}]` : '');
  const cover = !top ? 'nothing' : top.tagName.toLowerCase() + (top.id ? `#${top.id}` : '')
    + [...top.classList].map((c) => `.${c}`).join('');
  const style = getComputedStyle(el);
  return {index: all.indexOf(el), name, indicator: shows(el) || (!!label && shows(label)),
          seen, uncovered, cover, skip: el.classList.contains('skip-link'),
          look: `outline ${style.outlineStyle} ${style.outlineWidth}, shadow ${style.boxShadow}`};
}"""

POSITIVE_TABINDEX = """() => [...document.querySelectorAll('[tabindex]')]
  .filter((el) => el.tabIndex > 0).map((el) => el.outerHTML.slice(0, 120))"""

MAX_STOPS = 300


def keyboard_problems(page, server_page: bool) -> list[str]:
    """Everything wrong when the page is walked with Tab from the top."""
    problems = [f"positive tabindex: {html}" for html in page.evaluate(POSITIVE_TABINDEX)]
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("() => window.scrollTo(0, 0)")
    stops = _walk(page)
    if not stops:
        return [*problems, "the Tab key reaches nothing"]
    if server_page and not stops[0]["skip"]:
        problems.append(f"the first Tab stop is not the skip link: {stops[0]['name']}")
    for before, after in itertools.pairwise(stops):
        if after["index"] < before["index"]:
            problems.append(f"focus goes back up the page: {before['name']} → {after['name']}")
    for stop in stops:
        if not stop["indicator"]:
            problems.append(f"no visible focus indicator: {stop['name']} ({stop['look']})")
        if not (stop["seen"] and stop["uncovered"]):
            where = "off screen" if not stop["seen"] else f"under {stop['cover']}"
            problems.append(f"focused but hidden ({where}): {stop['name']}")
    return problems


def _walk(page) -> list[dict]:
    """Press Tab until the focus leaves the page (or MAX_STOPS: a trap fails the walk)."""
    stops = []
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop["index"] <= stops[0]["index"] and len(stops) > 1):
            return stops
        stops.append(stop)
    raise AssertionError(f"the focus never leaves the page after {MAX_STOPS} Tab presses")
