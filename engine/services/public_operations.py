"""Service operations for the public side of the evaluation: publishing, and the opinion channels.

See engine/connectors.py for how a BPMN service task calls them and processes/README.md for their
parameters and results. Each runs as the process (`by_process=True`): the model was deployed by an
administrator, so whoever moved the instance on need not be on the office's staff.
"""
from __future__ import annotations

from sqlalchemy import select

from engine.connectors import Context, OperationError, operation
from engine.errors import EngineError
from engine.models import Opinion, OpinionChannel
from engine.models.opinions import RATINGS
from engine.services import opinion_channels, publications

UNCLASSIFIED = "未归类"


def _refused(name: str, exc: EngineError, what: str = "") -> OperationError:
    errors = getattr(exc, "errors", None)
    detail = f" {errors}" if errors else ""
    return OperationError(f"{name}{' ' + what if what else ''}: {exc}{detail}")


def _year(name: str, value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise OperationError(f"{name}: year must be a number, not {value!r}") from None


def _channel_id(name: str, value) -> int:
    if isinstance(value, dict):  # an entry of opinions.open_channels' result
        value = value.get("channel")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise OperationError(f"{name}: not a channel id: {value!r}") from None


@operation("public.publish", required=("year", "kind", "title", "body"),
           optional=("department_key", "department_name"))
def publish(ctx: Context, year, kind, title, body, department_key=None, department_name=None) -> dict:
    """Publish on the public page (公开): a notice, the results, a rectification, or other text."""
    try:
        publication = publications.publish(
            ctx.session, year=_year("public.publish", year), kind=kind, title=title, body=body, actor=ctx.actor,
            department_key=department_key, department_name=department_name, instance=ctx.instance,
            by_process=True)
    except EngineError as exc:
        raise _refused("public.publish", exc) from exc
    return {"publication": publication.public_id, "url": publications.path(publication.public_id)}


def _open_channel(session, year: int, key: str) -> OpinionChannel | None:
    return session.scalar(select(OpinionChannel).where(
        OpinionChannel.year == year, OpinionChannel.department_key == key, OpinionChannel.is_open.is_(True))
        .order_by(OpinionChannel.id).limit(1))


@operation("opinions.open_channels", required=("year", "departments"))
def open_channels(ctx: Context, year, departments) -> dict:
    """One opinion channel (评议码) per department: {code: {"channel", "slug", "url"}}; a department's
    open channel of that year (one the office opened by hand) is reused, with the year's content items."""
    year = _year("opinions.open_channels", year)
    if isinstance(departments, dict):
        departments = list(departments.values())
    if not isinstance(departments, list) or not all(isinstance(d, dict) for d in departments):
        raise OperationError("opinions.open_channels: departments must be a list of "
                             "{code, name, group, investigation_group, content_items}")
    opened = {}
    for department in departments:
        code = str(department.get("code") or "").strip()
        channel = _open_channel(ctx.session, year, code) if code else None
        items = department.get("content_items") or []
        try:
            if channel is None:
                channel = opinion_channels.create_channel(
                    ctx.session, year=year, department_name=str(department.get("name") or ""), department_key=code,
                    department_group=str(department.get("group") or ""),
                    investigation_group=str(department.get("investigation_group") or ""),
                    content_items=items, actor=ctx.actor, by_process=True, instance=ctx.instance)
            else:
                opinion_channels.set_items(ctx.session, channel, items, ctx.actor, instance=ctx.instance)
        except EngineError as exc:
            raise _refused("opinions.open_channels", exc, f"for department '{code}'") from exc
        opened[code] = {"channel": channel.id, "slug": channel.slug, "url": f"/o/{channel.slug}"}
    return opened


@operation("opinions.summary", required=("channel",))
def summary(ctx: Context, channel) -> dict:
    """What a channel received, without authors: totals by rating, content item and source; the adopted
    opinions' texts. Opinions merged into another count once (as the one kept)."""
    try:
        found = opinion_channels.get_channel(ctx.session, _channel_id("opinions.summary", channel))
    except EngineError as exc:
        raise _refused("opinions.summary", exc) from exc
    rows = ctx.session.execute(
        select(Opinion.id, Opinion.rating, Opinion.source, Opinion.content_item, Opinion.is_adopted, Opinion.text)
        .where(Opinion.channel_id == found.id, Opinion.merged_into_id.is_(None)).order_by(Opinion.id)).all()
    by_rating = dict.fromkeys(RATINGS, 0)
    by_item = dict.fromkeys(found.content_items or [], 0)
    by_source = {"offline": 0, "deputy": 0, "public": 0}
    for row in rows:
        by_rating[row.rating] = by_rating.get(row.rating, 0) + 1
        item = row.content_item or UNCLASSIFIED
        by_item[item] = by_item.get(item, 0) + 1
        if row.source in by_source:
            by_source[row.source] += 1
    adopted = [{"id": row.id, "text": row.text, "content_item": row.content_item} for row in rows if row.is_adopted]
    return {"total": len(rows), "by_rating": by_rating, "by_item": by_item, "adopted": adopted, **by_source}


@operation("opinions.close_channels", required=("channels",))
def close_channels(ctx: Context, channels) -> dict:
    """Close channels (the 评议码 then refuses opinions politely): {"closed": how many were open}."""
    if isinstance(channels, dict):
        channels = list(channels.values())
    if not isinstance(channels, list):
        channels = [channels]
    closed = 0
    for value in channels:
        try:
            channel = opinion_channels.get_channel(ctx.session, _channel_id("opinions.close_channels", value))
            if channel.is_open:
                opinion_channels.set_open(ctx.session, channel.id, False, ctx.actor, by_process=True,
                                          instance=ctx.instance)
                closed += 1
        except EngineError as exc:
            raise _refused("opinions.close_channels", exc) from exc
    return {"closed": closed}
