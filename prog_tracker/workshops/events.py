"""What workshops ask of the domains above them, so imports run one way (see core/events.py).

A cohort names a qualification, which certification (a higher domain) defines:
workshops cannot import it, so it sends this signal and certification, which
connects its receiver in its register(app, api), judges the qualification.
"""

from blinker import Namespace

_signals = Namespace()

# A cohort is about to be saved: receivers add what they find wrong to errors= (field ->
# messages), which the cohort's other checks fill too. Sent with sender=cohort.
checking_cohort = _signals.signal("checking-cohort")
