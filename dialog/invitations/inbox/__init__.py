"""Reading the organiser mailbox: the calendars' own answers (iTIP REPLY, COUNTER, REFRESH)
come back over IMAP and are applied once.

mailbox.py talks IMAP (imapclient), itip.py reads a message with the email package and
icalendar, replies.py applies what it says (services: flush, never commit), worker.py is the
edge that reads, commits one message at a time and moves what it handled out of the way.
"""
