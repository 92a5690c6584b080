"""Moving in: Mastodon's CSV exports imported into an account (docs/subsystems/importing.md)."""
