"""Password hashing for the demo accounts only.

Every demo account shares one password that the command prints on screen, so
the full PBKDF2 cost (about 0.7 s per account on a small machine, over 80
accounts) buys nothing. The hash keeps Django's ``pbkdf2_sha256`` format with
fewer iterations; Django verifies it with its own hasher and re-hashes it at
full strength on the first successful login.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class DemoPasswordHasher(PBKDF2PasswordHasher):
    iterations = 10_000
