"""E-legitimation keeps no tables of its own: a login is a session, and the limit on
logins started is counted by ``core.ratelimit``."""
