"""Domain events, sent inside the transaction that caused them.

Features subscribe to react in the same transaction: the invitations feature queues calendar
updates in the outbox when a dialogue is rebooked, say, without the booking code knowing about it.
Receivers must not commit.
"""

from blinker import Namespace

events = Namespace()

# sender: the Dialogue. kwargs: actor
dialogue_booked = events.signal("dialogue-booked")
# kwargs: actor, changes (dict field -> [old, new])
dialogue_rebooked = events.signal("dialogue-rebooked")
# kwargs: actor, reason
dialogue_cancelled = events.signal("dialogue-cancelled")
# kwargs: actor, added (list[Participant]), removed (list[Participant])
participants_changed = events.signal("participants-changed")
# sender: the number of messages just queued in the outbox (not yet committed)
mail_queued = events.signal("mail-queued")
