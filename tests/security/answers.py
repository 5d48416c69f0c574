"""Answers as text to search (archives unzipped, PDF streams inflated), and the
findings, grouped for the report."""

import contextlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass


@dataclass
class Finding:
    """A canary (or a 5xx) in one answer."""

    role: str
    method: str
    url: str
    status: int
    why: str  # out-of-scope person, caseworker-never (prison number), server error…
    kind: str = ""  # the canary's field: given_name, referral_reason…
    owner: str = ""  # whose: a person key, a cohort, a facility
    about: str = ""  # which records the URL names


def group_findings(findings: list) -> list:
    """One line per (method, path, status): what leaked, whose, in how many URLs."""
    groups = {}
    for f in findings:
        key = (f.role, f.method, f.url.split("?")[0], f.status)
        group = groups.setdefault(key, {"urls": set(), "about": f.about, "what": {}})
        group["urls"].add(f.url)
        kinds = group["what"].setdefault((f.why, f.owner), [])
        if f.kind and f.kind not in kinds:
            kinds.append(f.kind)
    lines = []
    for (role, method, path, status), group in groups.items():
        what = "; ".join(
            f"{why}" + (f" {owner}" if owner else "") + (f" ({', '.join(kinds)})" if kinds else "")
            for (why, owner), kinds in group["what"].items()
        )
        about = f" [{group['about']}]" if group["about"] else ""
        more = len(group["urls"]) - 1
        variants = f" (+{more} query variant{'s' * (more > 1)})" if more else ""
        lines.append(f"{role} {method} {path} -> {status}{about}{variants}: {what}")
    return lines


def response_text(response) -> str:
    """The answer as text: headers, then the body (archives unzipped, PDF inflated)."""
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    data = response.get_data()
    return headers + "\n" + body_text(data)


def is_list(response) -> bool:
    """True for a JSON list answer ({"items": [...]})."""
    answer = response.get_json(silent=True)
    return isinstance(answer, dict) and isinstance(answer.get("items"), list)


def body_text(data: bytes) -> str:
    """A body as text; ZIP (XLSX) members and PDF streams opened."""
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "\n".join(body_text(archive.read(name)) for name in archive.namelist())
        except zipfile.BadZipFile:
            pass  # not a ZIP after all: searched as text below
    if data[:5] == b"%PDF-":
        parts = [data.decode("latin-1")]
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
            with contextlib.suppress(zlib.error):
                parts.append(zlib.decompress(stream).decode("latin-1"))
        return "\n".join(parts)
    return data.decode("utf-8", errors="replace")
