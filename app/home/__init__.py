"""Landing page per role: what needs my attention today."""
