"""Progress bars show on a terminal and stay silent when the output is piped."""

import io

from api.progress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_bar_and_its_notes():
    screen = Terminal()
    with progress("demo ledger", 2, stream=screen) as advance:
        advance()
        advance(note="laatste deal")
    assert "demo ledger" in screen.getvalue() or "laatste deal" in screen.getvalue()


def test_a_pipe_sees_nothing():
    pipe = io.StringIO()
    with progress("demo ledger", 2, stream=pipe) as advance:
        advance()
        advance(note="x")
    assert pipe.getvalue() == ""
