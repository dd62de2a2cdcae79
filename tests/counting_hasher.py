"""Argon2 (real, at a light cost) that counts how many passwords it checked."""

from __future__ import annotations

import threading

from django.contrib.auth.hashers import Argon2PasswordHasher


class CountingArgon2(Argon2PasswordHasher):
    memory_cost = 4096  # KiB: forty at once fit in a test machine's memory
    checked = 0
    _lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingArgon2._lock:
            CountingArgon2.checked += 1
        return super().verify(password, encoded)
