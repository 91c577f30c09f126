"""Models of the follow-up API (personal API tokens). Owned by dialog/followup."""
