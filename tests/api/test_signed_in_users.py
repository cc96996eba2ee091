"""The token cache: a token's user is kept for a short, bounded time and for a bounded number
of tokens, so a removed or changed token stops working within that time."""

from api.http.deps import SignedInUsers
from api.http.users import User

OFFICER = User("fo", "finance", None)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_user_is_kept_until_the_time_runs_out():
    clock = Clock()
    users = SignedInUsers(ttl=30, clock=clock)
    users.put("hash-1", OFFICER)
    clock.now = 29.9
    assert users.get("hash-1") == OFFICER
    clock.now = 30.1
    assert users.get("hash-1") is None
    assert users.get("hash-1") is None  # and it is gone, not revived


def test_the_cache_forgets_the_oldest_token_beyond_its_size():
    users = SignedInUsers(size=2, clock=Clock())
    for name in ("a", "b", "c"):
        users.put(name, User(name, "auditor", None))
    assert users.get("a") is None
    assert [users.get(n).name for n in ("b", "c")] == ["b", "c"]
