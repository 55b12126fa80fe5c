"""The two steps of a vote as one statement each, on PostgreSQL: the meeting's hot path.

`ballots.issue_envelope` and `ballots.cast` are the careful path: several statements that find
out, and say, why a vote cannot be cast. When hundreds of voters press at once every round trip
counts, so on PostgreSQL each step is first tried as a single statement, each in a transaction of
its own (the connection is in autocommit mode), on a connection that stays checked out for the
whole vote. A statement does all that its careful step does when the vote is plainly open to the
voter and the choice is one of the options, and nothing at all otherwise; the caller then takes
the careful path, which either does the work (a race resolved meanwhile) or raises the reason.

The guarantees stay those of the careful path: one ballot per voter (a conditional UPDATE), the
ballot row share-locked while a vote goes in (so none slips in after the count), the voter and
the choice written in separate transactions, and never sent in one statement either (a server
that logs slow statements with their parameters must not log the two together): step 1 carries
the voter, step 2 the choice. The choice is checked before step 1 against the ballot's options,
which are fixed when it opens and kept here per process.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, bindparam, select, text

from engine import clock
from engine.cache import LRU
from engine.db import UTCDateTime
from engine.models import Ballot

# a ballot that takes votes now
_OPEN = "ballot.status = 'open' AND (ballot.closes_at IS NULL OR ballot.closes_at > :now)"

_ISSUE = text(f"""
WITH open_ballot AS (
    SELECT ballot.id FROM ballot
    WHERE ballot.public_id = :public_id AND {_OPEN}
    FOR SHARE
), marked AS (
    UPDATE ballot_voter SET has_voted = true FROM open_ballot
    WHERE ballot_voter.ballot_id = open_ballot.id AND ballot_voter.user_id = :voter AND NOT ballot_voter.has_voted
    RETURNING ballot_voter.ballot_id, ballot_voter.voter_group
)
INSERT INTO ballot_envelope (id, ballot_id, voter_group, is_spent)
SELECT :envelope, ballot_id, voter_group, false FROM marked
""").bindparams(bindparam("now", type_=UTCDateTime()))

_CAST = text(f"""
WITH open_ballot AS (
    SELECT ballot.id FROM ballot JOIN ballot_envelope ON ballot_envelope.ballot_id = ballot.id
    WHERE ballot_envelope.id = :envelope AND NOT ballot_envelope.is_spent AND {_OPEN}
      AND CAST(:choice AS text) IN (SELECT option ->> 'code'
                                    FROM json_array_elements(ballot.rules -> 'options') AS option)
    FOR SHARE OF ballot
), spent AS (
    UPDATE ballot_envelope SET is_spent = true FROM open_ballot
    WHERE ballot_envelope.id = :envelope AND ballot_envelope.ballot_id = open_ballot.id
      AND NOT ballot_envelope.is_spent
    RETURNING ballot_envelope.ballot_id, ballot_envelope.voter_group
)
INSERT INTO ballot_vote (id, ballot_id, voter_group, choice, source)
SELECT :vote, ballot_id, voter_group, :choice, 'electronic' FROM spent
""").bindparams(bindparam("now", type_=UTCDateTime()))


def supported(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@contextmanager
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection for a whole vote, every statement its own transaction."""
    with engine.connect() as conn:
        yield conn.execution_options(isolation_level="AUTOCOMMIT")


_OPTIONS = select(Ballot.rules).where(Ballot.public_id == bindparam("public_id"))
_options: LRU = LRU(256)  # public id -> the option codes (a ballot's rules never change once open)


def _takes(conn: Connection, public_id: str, choice: str) -> bool:
    codes = _options.get(public_id)
    if codes is None:
        rules = conn.scalar(_OPTIONS, {"public_id": public_id})
        if rules is None:
            return False
        codes = frozenset(option["code"] for option in rules["options"])
        _options.put(public_id, codes)
    return choice in codes


def issue_envelope(conn: Connection, public_id: str, voter_id: int, choice: str) -> str | None:
    """Step 1 at once: the envelope, or None (not plainly open to this voter with this choice)."""
    if not _takes(conn, public_id, choice):
        return None
    envelope = secrets.token_hex(16)
    marked = conn.execute(_ISSUE, {"public_id": public_id, "voter": voter_id, "envelope": envelope,
                                   "now": clock.now()}).rowcount
    return envelope if marked == 1 else None


def cast(conn: Connection, envelope_id: str, choice: str) -> bool:
    """Step 2 at once: True when the choice is in the box; False leaves everything untouched."""
    return conn.execute(_CAST, {"envelope": envelope_id, "choice": choice, "vote": secrets.token_hex(16),
                                "now": clock.now()}).rowcount == 1
