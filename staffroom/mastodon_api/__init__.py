"""The Mastodon client API adapter: routes, entities and the Instance document.

A plain package, not a Django app: it owns no models, templates or commands. It translates
between Mastodon's wire format and the domain apps (OAuth applications and tokens live in
`staffroom.oauth`), and only interfaces import it.
"""
