"""Accounts and sign-in.

- :mod:`.passwords`: argon2 hashing (pwdlib) and the password rule.
- :mod:`.users`: create, list, disable, reset users (names are lower case and unique).
- :mod:`.credentials`: browser sessions and personal API tokens, stored as SHA-256 hashes.
- :mod:`.ratelimit`: failed sign-ins counted in the database, per account and per client.
- :mod:`.login`: check a name and password under the rate limit.
- :mod:`.principal`: who a request is (signed-in user, token, ``BINSCRIBE_API_TOKEN`` admin or
  the implicit local user of an instance without users) and the instance's :class:`AuthMode`.

Errors (all :class:`~binscribe.errors.BinscribeError`): ``Unauthorized`` 401 ``unauthorized``,
``InvalidCredentials`` 401 ``invalid_credentials`` (unknown user, wrong password and disabled
user alike), ``LoginRateLimited`` 429 ``login_rate_limited``, ``Forbidden`` 403 ``forbidden``.
"""
