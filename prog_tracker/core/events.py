"""What one domain announces and a higher domain acts on, so imports run one way.

A lower domain (directory, auth, participants) must not import a higher one
(aftercare, notifications, release); where its change matters up there, it
sends one of these signals inside the same transaction and the higher domain
connects its receiver in its register(app, api). Receivers run synchronously,
in the sender's transaction, so the effect commits or rolls back with it.
"""

from blinker import Namespace

_signals = Namespace()

# A facility's timezone changed: follow-ups of its people are judged on its calendar.
# Sent with sender=facility_id, keyword connection= (the session's connection).
facility_calendar_changed = _signals.signal("facility-calendar-changed")

# A sign-in session ended: browsers subscribed to reminders in it stop getting them.
# Sent with sender=session_id.
session_ended = _signals.signal("session-ended")

# A participant's expected release date was set or moved: the release plan follows.
# Sent with sender=participant, keywords actor= and previous= (the old date or None).
release_date_changed = _signals.signal("release-date-changed")

# A participant's release plan was drawn up: partners links its NGO referral item to
# the person's open referral. Sent with sender=participant, keyword actor=.
release_plan_drawn_up = _signals.signal("release-plan-drawn-up")

# A field device was revoked: the sign-in sessions opened from it end at once.
# Sent with sender=device_id, inside the revoking transaction.
device_revoked = _signals.signal("device-revoked")
