"""What forms that name a department offer to choose from (the organisation's data)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.services import org, users


def department_choices(session: Session) -> dict:
    """For the department picker (_macros.html): the active departments and every group name
    (the group fields' suggestions)."""
    return {"departments": org.all_units(session, "department", active_only=True),
            "groups": users.group_names(session)}
