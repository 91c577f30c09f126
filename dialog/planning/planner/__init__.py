"""The year planner: propose dates for many homes at once, adjust, then book and invite.

`algorithm` is the pure planning rule set (no database), `model` its data types, `check` the
conflict rules; `service` reads the homes in scope and books the chosen plan; `views` and
`forms` are the pages.
"""
