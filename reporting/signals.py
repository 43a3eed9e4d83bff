"""Signals other layers can hook on; ``reporting`` sends them from its service functions."""

from django.dispatch import Signal

# Sent inside the transaction after a submission is approved or reopened, i.e. whenever the set
# of approved values changes: approved_data_changed.send(sender=Submission, submission=..., period=...)
approved_data_changed = Signal()

# Sent by the recognition app inside the transaction after a decision recognises entities:
# recognitions_changed.send(sender=..., title="family", year=2018)
recognitions_changed = Signal()
