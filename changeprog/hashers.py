"""How passwords are stored: Argon2id (the OWASP password-storage recommendation) with OWASP's first
configuration, 19 MiB of memory, two passes and one lane. Django's own Argon2 hasher defaults to 100 MiB and eight
lanes, which makes a sign-in cost far more CPU and memory than a morning's burst of sign-ins on a small server can
bear. Hashes made with older settings or the PBKDF2 hasher are re-made with these at the person's next sign-in
(Django does this when a hasher's `must_update` says so). Measured by `scripts/bench.py --sign-in`."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    algorithm = "argon2"  # the same stored prefix as Django's, so either reads the other's hashes
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
