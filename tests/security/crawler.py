"""A crawler that walks `app.url_map` as one signed-in user and looks for canaries.

It needs no list of pages: every rule of the url_map is requested with its
arguments filled from the world's ids (routes.ARGUMENTS says which type each
argument names; a rule with an argument missing there fails the test, so a new
route is added consciously). In order:

1. reads: every GET rule with every id of its types and a malformed one; the
   top-level API lists again with ?limit=500, ?q= (canary names and numbers)
   and id filters naming out-of-scope records; exports for every dataset,
   identified and not; sync pull followed through `has_more`. Pages are parsed
   and their <form>s kept;
2. direct writes: every POST/PUT/PATCH/DELETE rule with the ids of records
   outside the user's scope (and a malformed id) in the path, with an empty and
   an all-wrong form (pages) or a malformed, an empty, an all-wrong and
   plausible JSON bodies whose *_id fields name out-of-scope records (API), so
   the error branches render;
3. forms: GET forms with the searches; every other form with wrong values, with
   its hidden and select ids replaced by out-of-scope ones, sent as filled to
   the same route about out-of-scope records, then as the page filled it
   (valid: those change state most, so they come last);
4. reads again: home, the API lists and a fresh sync pull, after the changes.

Every answer (headers and body; XLSX and ZIP unzipped, PDF streams inflated)
is searched for the canaries the user must not receive; a 5xx is a finding too.
The crawler follows its own changes to the user's scope (canaries.PROMOTABLE).
"""

import json
import re
import time
from urllib.parse import urlencode, urlsplit

from werkzeug.datastructures import MultiDict

from prog_tracker.core import policy
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from tests.security.answers import Finding, group_findings, is_list, response_text
from tests.security.bodies import Bodies
from tests.security.canaries import PROMOTABLE, SCOPE
from tests.security.forms import INVALID_DATE, parse_forms
from tests.security.routes import (
    ARGUMENTS,
    BOGUS_CODE,
    EXTRA_QUERIES,
    FIELD_TYPES,
    FIXED_ARGUMENTS,
    MALFORMED_ID,
    PSEUDONYMISED,
    SKIP,
    fill,
    match_route,
    unfillable,
)

Q_NO_MATCH = "zzq-nomatch"
_PREFIXED = re.compile(r"canary[a-z0-9]+|cny-[a-z0-9]+")


class Crawler:
    """Crawls as one user and collects findings."""

    def __init__(self, app, client, csrf: str, role: str, world):
        self.app, self.client, self.csrf = app, client, csrf
        self.role, self.world = role, world
        self.user = world.users[role]
        self.findings, self.seen_findings = [], set()
        self.requests, self.forms, self.field_names = 0, {}, set()
        self.in_scope = set(SCOPE[role])
        self.forbidden = world.forbidden(role, self.in_scope)
        self.scope_log = []
        self.bodies = Bodies({})
        self.timings = []
        self.seen, self.statuses = set(), {}  # canary-like strings met; answers by class

    # Requests and checks

    def request(self, method: str, url: str, about: str = "", sent: str = "", **kwargs):
        """Send one request and check its answer (and the page it redirects to).

        A request that changes who is in the user's scope is judged by the wider of
        the scopes before and after it (accepting a referral answers with the person;
        closing one answers with what was closed); the next request by the new one.
        """
        self.requests += 1
        if isinstance(kwargs.get("data"), list):
            kwargs["data"] = MultiDict(kwargs["data"])
        before = self.forbidden
        # Buffered: a streamed export is read inside the request's own context.
        response = self.client.open(url, method=method, buffered=True, **kwargs)
        if method != "GET":
            self.refresh_scope(f"{method} {url} ({about})" if about else f"{method} {url}")
        forbidden = {k: v for k, v in before.items() if k in self.forbidden}
        self.check(method, url, response, about, sent, forbidden)
        if method != "GET" and response.status_code in (301, 302, 303, 307, 308):
            location = response.headers.get("Location", "")
            target = urlsplit(location)
            if target.netloc in ("", "localhost"):
                path = target.path + (f"?{target.query}" if target.query else "")
                self.requests += 1
                followed = self.client.get(path, buffered=True)
                self.check("GET", f"{path} (after {method} {url})", followed, about, sent)
        return response

    def check(self, method, url, response, about="", sent="", forbidden=None):
        """Record every forbidden canary in the answer, and any 5xx."""
        if response.status_code >= 500:
            self._find(method, url, response.status_code, ("server error (5xx)", "", ""), about)
        text = response_text(response).lower()
        sent = sent.lower()
        forbidden = self.forbidden if forbidden is None else forbidden
        if urlsplit(url).path in PSEUDONYMISED and "identified=true" not in url:
            forbidden = {**self.world.pseudonymised_forbidden(), **forbidden}
        status_class = f"{response.status_code // 100}xx"
        self.statuses[status_class] = self.statuses.get(status_class, 0) + 1
        path = urlsplit(url).path
        for found in self._canaries_in(text, forbidden):
            why, kind, owner, allowed_on = forbidden[found]
            if found not in sent and not path.startswith(allowed_on):
                self._find(method, url, response.status_code, (why, kind, owner), about)

    def _canaries_in(self, text: str, forbidden: dict) -> set:
        """The forbidden canaries present in text."""
        found = set()
        matches = set(_PREFIXED.findall(text))
        self.seen.update(matches)
        for match in matches:
            if match in forbidden:
                found.add(match)
            else:  # glued to the next word: look for any canary it starts with
                found.update(c for c in forbidden if match.startswith(c))
        # Certificate codes carry no prefix.
        codes = {c.lower() for c in self.world.codes if c.lower() in text}
        self.seen.update(codes)
        found.update(c for c in codes if c in forbidden)
        return found

    def _find(self, method, url, status, what: tuple, about):
        """Record (why, kind, owner) found in one answer, once."""
        key = (method, url, status, what)
        if key not in self.seen_findings:
            self.seen_findings.add(key)
            self.findings.append(Finding(self.role, method, url, status, *what, about=about))

    # Scope

    def refresh_scope(self, cause: str) -> None:
        """Follow the crawler's own changes: a person who entered or left the user's
        scope (through a state-changing request) changes what is forbidden."""
        visible = set(
            db.session.scalars(
                policy.visible_participants(self.user).with_only_columns(Participant.id)
            )
        )
        now = {key for key, pid in self.world.people.items() if pid in visible}
        if now == self.in_scope:
            return
        for key in sorted(now - self.in_scope):
            if key in PROMOTABLE.get(self.role, ()):
                self.scope_log.append(f"{key} entered the scope after {cause}")
            else:
                self._find(cause.split()[0], cause, 0, ("entered the scope", "", key), "")
        for key in sorted(self.in_scope - now):
            self.scope_log.append(f"{key} left the scope after {cause}")
        self.in_scope = now
        self.forbidden = self.world.forbidden(self.role, self.in_scope)

    # Route arguments

    def values_for(self, argument: str, unsafe: bool) -> list:
        """(value, label) pairs for a route argument; for writes, only the records
        outside the user's scope (the pages' forms act on those inside) and a
        malformed id."""
        if argument in FIXED_ARGUMENTS:
            return [(v, v) for v in FIXED_ARGUMENTS[argument]]
        kind = ARGUMENTS[argument]
        if kind == "certificate_code":
            # The public verification shows a code's holder by design: knowing the
            # code is the permission. Codes of people the user sees, and a bogus one.
            codes = [c for c, key in self.world.codes.items() if c.lower() not in self.forbidden]
            return [(c, f"code of {self.world.codes[c]}") for c in codes] + [
                (BOGUS_CODE, "bogus code")
            ]
        rows = [r for r in self.world.ids.get(kind, []) if r[0] != self.user.id]
        if kind == "token":  # never the crawler's own (they would end its access)
            rows = [r for r in rows if not r[1].startswith(f"{self.role}'s")]
        if unsafe:  # records of nobody's (a facility, a cohort…) stay in
            rows = [r for r in rows if r[2] is None or r[2] not in self.in_scope]
        return [(r[0], f"{argument}={r[1]}") for r in rows] + [
            (MALFORMED_ID, f"{argument}=malformed")
        ]

    def combos(self, rule, unsafe: bool) -> list:
        """(arguments, label) to fill a rule with."""
        names = sorted(rule.arguments)
        missing = unfillable(rule)
        assert not missing, (
            f"{rule.rule}: no ids for argument(s) {missing}; "
            "add them to ARGUMENTS (or FIXED_ARGUMENTS) in tests/security/routes.py"
        )
        if not names:
            return [({}, "")]
        values = {n: self.values_for(n, unsafe) for n in names}
        if len(names) == 1:
            return [({names[0]: v}, label) for v, label in values[names[0]]]
        related = [r for r in self.world.related if set(names) <= set(r)]
        bases = [{n: r[n] for n in names} for r in related] or [{n: values[n][0][0] for n in names}]
        out = [(b, "related " + ",".join(f"{n}" for n in names)) for b in bases]
        for name in names:
            for value, label in values[name]:
                out.append(({**bases[0], name: value}, label))
        return out

    def rules(self, methods) -> list:
        """(method, rule) of the url_map for these methods, minus the skip list."""
        out = []
        for rule in sorted(self.app.url_map.iter_rules(), key=lambda r: r.rule):
            for method in sorted(rule.methods & set(methods)):
                if (method, rule.endpoint) not in SKIP:
                    out.append((method, rule))
        return out

    # The crawl

    def run(self) -> None:
        """All four phases."""
        self.bodies = Bodies(self.client.get("/api/v1/openapi.json").get_json())
        # The API's field names: pages post the same ones (withdrawn_on, released_on…).
        self.field_names.update(self.bodies.field_names())
        phases = (self.read_everything, self.write_directly, self.submit_forms, self.read_again)
        for phase in phases:
            started, count = time.process_time(), self.requests
            phase()
            took = time.process_time() - started
            self.timings.append(f"{phase.__name__} {self.requests - count} in {took:.1f}s")

    def read_everything(self) -> None:
        """Phase 1: every GET route with every id; lists, searches, exports, sync."""
        for _method, rule in self.rules({"GET"}):
            for arguments, about in self.combos(rule, unsafe=False):
                url = fill(rule, arguments)
                self.read(rule, url, about)

    def read(self, rule, url: str, about: str) -> None:
        """GET one URL (and its list, search, export and sync variants)."""
        response = self.request("GET", url, about)
        if rule.endpoint == "sync_api.pull":
            self.follow_pull(response, url)
        for query in EXTRA_QUERIES.get(rule.endpoint, ()):
            self.request("GET", f"{url}?{urlencode(query)}", about)
        if response.status_code != 200:
            return
        if response.mimetype == "text/html":
            for form in parse_forms(response.get_data(as_text=True), url):
                self.forms.setdefault(form.key(), form)
                self.field_names.update(f for f in form.names() if f != "csrf_token")
        elif not rule.arguments and is_list(response):
            # Top-level lists are searched; a person's own lists are short already.
            self.search_list(url, about)

    def q_values(self) -> list:
        """What lists are searched for: every canary name, every prison number (the
        prefixes match them all), and one exact number of someone the user sees."""
        values = ["Canary", "CNY-"]
        if self.role == "caseworker":
            values += [self._number_of(key) for key in sorted(self.in_scope)][:1]
        return values

    def _number_of(self, key: str) -> str:
        for canary in self.world.canaries:
            if canary.owner == key and canary.kind == "prison_number":
                return canary.text
        raise KeyError(key)

    def search_list(self, url: str, about: str, param="q") -> None:
        """A list again with ?limit=500 and each search; for caseworkers, a search by
        a prison number must find nobody."""
        joiner = "&" if "?" in url else "?"
        self.request("GET", f"{url}{joiner}limit=500", about)
        # Filters by id (?participant_id=…, ?facility_id=…) naming records outside the scope.
        for name in self.bodies.query_id_parameters(url):
            for record_id, label in self.filter_ids(name):
                query = urlencode({name: record_id, "limit": 500})
                self.request("GET", f"{url}{joiner}{query}", f"?{name}={label}")
        baseline = None
        for q in [Q_NO_MATCH, *self.q_values()]:
            query = urlencode({param: q, "limit": 500})
            response = self.request("GET", f"{url}{joiner}{query}", about, sent=q)
            if q == Q_NO_MATCH:
                baseline = response_text(response).lower()
            elif self.role == "caseworker" and q.upper().startswith("CNY-"):
                self.check_number_search(url, q, response, baseline)

    def check_number_search(self, url, q, response, baseline) -> None:
        """SPEC §3: for caseworkers `q` never matches a prison number."""
        text = response_text(response).lower()
        for canary in self.world.canaries:
            if canary.kind == "family_name" and canary.owner in self.in_scope:
                name = canary.text.lower()
                if name in text and name not in (baseline or ""):
                    self._find(
                        "GET",
                        f"{url}?{urlencode({'q': q})}",
                        response.status_code,
                        ("caseworker search by prison number found", "", canary.owner),
                        "",
                    )

    def follow_pull(self, response, url: str) -> None:
        """Follow a sync pull while it has more."""
        for _ in range(20):
            answer = response.get_json(silent=True) or {}
            if response.status_code != 200 or not answer.get("has_more"):
                return
            response = self.request("GET", f"{url}?{urlencode({'cursor': answer['cursor']})}")

    # Phase 2: writes straight to every route, with out-of-scope ids

    def write_directly(self) -> None:
        """Phase 2: every unsafe route, with out-of-scope ids and broken bodies."""
        for method, rule in self.rules({"POST", "PUT", "PATCH", "DELETE"}):
            for arguments, about in self.combos(rule, unsafe=True):
                url = fill(rule, arguments)
                if rule.rule.startswith("/api/"):
                    self.write_api(method, rule, url, about)
                else:
                    self.write_page(method, url, about)

    def write_page(self, method: str, url: str, about: str) -> None:
        """A page's form posted empty, then with every known field wrong."""
        token = [("csrf_token", self.csrf)]
        self.request(method, url, about, data=token)
        wrong = token + [(name, INVALID_DATE) for name in sorted(self.field_names)]
        self.request(method, url, about, data=wrong)

    def write_api(self, method: str, rule, url: str, about: str) -> None:
        """A JSON route with a malformed, an empty, an invalid and plausible bodies."""
        headers = {"X-CSRF-Token": self.csrf}
        if method == "DELETE":
            self.request(method, url, about, headers=headers)
            return
        schema = self.bodies.schema(method, rule)
        bodies = ["{", "{}", json.dumps(self.bodies.invalid(schema))]
        bodies += [json.dumps(b) for b in self.plausible_bodies(schema)]
        for body in bodies:
            self.request(
                method, url, about, data=body, headers=headers, content_type="application/json"
            )

    def plausible_bodies(self, schema: dict) -> list:
        """A plausible body per out-of-scope record named by one of its id fields."""
        fields = self.bodies.id_fields(schema)
        inside = {}
        for name in fields:
            rows = self.world.ids.get(FIELD_TYPES[name], [])
            mine = [r for r in rows if r[2] is None or r[2] in self.in_scope]
            if mine:
                inside[name] = mine[0][0]
        return [
            self.bodies.plausible(schema, {**inside, name: record_id})
            for name in sorted(fields)
            for record_id, _label in self.foreign_ids(name)
        ]

    # Phase 3: the forms the pages showed

    def submit_forms(self) -> None:
        """Phase 3: GET forms searched; unsafe forms wrong, with foreign ids, then valid."""
        forms = list(self.forms.values())
        for form in forms:
            if form.method == "GET":
                self.search_form(form)
        unsafe = [f for f in forms if f.method != "GET"]
        for form in unsafe:
            wrong = form.invalid()
            if wrong is not None:
                self.submit(form, wrong, "invalid values")
        for form in unsafe:
            for name in form.names(("hidden", "select")):
                for record_id, label in self.foreign_ids(name):
                    self.submit(form, form.with_value(name, record_id), f"{name}={label}")
        self.submit_elsewhere(unsafe)
        for form in unsafe:
            self.submit(form, form.valid(), "valid values")

    def submit_elsewhere(self, forms: list) -> None:
        """Each kind of form, as the page filled it, sent to the same route about
        records outside the scope (its action's ids replaced)."""
        adapter = self.app.url_map.bind("localhost")
        done = set()
        for form in forms:
            matched = match_route(adapter, urlsplit(form.action).path, form.method)
            if matched is None:
                continue
            endpoint, arguments = matched
            key = (endpoint, tuple(sorted(form.names())))
            if key in done:
                continue
            done.add(key)
            for name in arguments:
                if name not in ARGUMENTS:
                    continue
                for record_id, label in self.values_for(name, unsafe=True):
                    url = adapter.build(endpoint, {**arguments, name: record_id})
                    self.submit(form, form.valid(), label, url=url)

    def foreign_ids(self, name: str) -> list:
        """Ids of out-of-scope records of the type a form field names."""
        kind = FIELD_TYPES.get(name)
        if kind is None or kind == "certificate_code":
            return []
        rows = self.world.ids.get(kind, [])
        return [(r[0], r[1]) for r in rows if r[2] is not None and r[2] not in self.in_scope]

    def filter_ids(self, name: str) -> list:
        """Ids to filter a list by: records about people outside the scope, and every
        record of nobody's (facilities, organisations, cohorts…: there are few)."""
        kind = FIELD_TYPES.get(name)
        if kind is None or kind == "certificate_code":
            return []
        rows = self.world.ids.get(kind, [])
        return [(r[0], r[1]) for r in rows if r[2] is None or r[2] not in self.in_scope]

    def submit(self, form, pairs: list, about: str, url: str | None = None) -> None:
        """Send a form (with the session's CSRF token), to its action or to url."""
        pairs = [(n, v) for n, v in pairs if n != "csrf_token"] + [("csrf_token", self.csrf)]
        sent = "\n".join(v for _n, v in pairs)
        self.request(form.method, url or form.action, about, sent=sent, data=pairs)

    def search_form(self, form) -> None:
        """A GET form: as filled, with each search in its text fields, and with each
        id filter (a select or hidden field) naming records outside the scope."""
        base = dict(form.valid())
        joiner = "&" if "?" in form.action else "?"
        self.request("GET", f"{form.action}{joiner}{urlencode(base)}", "search form")
        for name in form.names(("hidden", "select")):
            for record_id, label in self.filter_ids(name):
                query = urlencode({**base, name: record_id})
                self.request("GET", f"{form.action}{joiner}{query}", f"{name}={label}")
        texts = form.names(("text", "search"))
        if not texts:
            return
        baseline = None
        for q in [Q_NO_MATCH, *self.q_values()]:
            query = urlencode({**base, **dict.fromkeys(texts, q)})
            url = f"{form.action}{joiner}{query}"
            response = self.request("GET", url, "search form", sent=q)
            if q == Q_NO_MATCH:
                baseline = response_text(response).lower()
            elif self.role == "caseworker" and q.upper().startswith("CNY-"):
                self.check_number_search(form.action, q, response, baseline)

    # Phase 4

    def read_again(self) -> None:
        """Phase 4: after the changes, the home page, the API lists and a fresh pull."""
        self.request("GET", "/", "after the changes")
        for _method, rule in self.rules({"GET"}):
            if rule.rule.startswith("/api/") and not rule.arguments:
                self.read(rule, rule.rule, "after the changes")

    def report(self) -> str:
        """The findings, one per line, and what the crawl did."""
        lines = group_findings(self.findings)
        lines.append(
            f"({self.role}: {self.requests} requests ({', '.join(self.timings)} CPU), "
            f"answers by class {dict(sorted(self.statuses.items()))}, "
            f"{len(self.forms)} distinct forms; "
            f"scope changes: {'; '.join(self.scope_log) or 'none'})"
        )
        return "\n".join(lines)

    def unseen(self, keys) -> list:
        """People (keys) whose family name no answer carried: the crawl did not reach
        them, so its silence about them proves nothing."""
        names = {
            c.owner: c.text.lower()
            for c in self.world.canaries
            if c.kind == "family_name" and c.owner in keys
        }
        return sorted(key for key, name in names.items() if name not in self.seen)


def initial_scope(user) -> set:
    """Participant ids the policy puts in the user's scope (to check the world)."""
    return set(
        db.session.scalars(policy.visible_participants(user).with_only_columns(Participant.id))
    )
