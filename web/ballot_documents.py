"""A ballot's result sheet in Word, the year's ranking in Word and Excel: what the office files and sends on."""
from __future__ import annotations

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine import rules
from web import documents
from web.ballots import GROUP_LABELS, void_message

KINDS = {"meeting": _l("Evaluation meeting"), "reevaluation": _l("Re-evaluation of the rectification")}


def _when(moment) -> str:
    return format_datetime(moment, "yyyy-MM-dd HH:mm") if moment else "—"


def _pct(rate: float) -> str:
    return f"{rate * 100:.2f}%"


def _score(score) -> str:
    return f"{score:.2f}" if score is not None else "—"


def tally_rows(tally: dict) -> tuple[list[str], list[list[str]]]:
    """The count as the result page shows it: a row per voter group and one for everyone."""
    options = tally["options"]
    header = ["", *[o["label"] for o in options], _("Invalid"), _("Valid ballots"),
              _("Satisfied + basically satisfied"), _("Score")]

    def row(name: str, part: dict, score) -> list[str]:
        return [name, *[f"{part['counts'][o['code']]}（{_pct(part['rates'][o['code']])}）" for o in options],
                str(part["counts"][rules.INVALID]), str(part["valid"]), _pct(part["combined_rate"]), _score(score)]

    rows = [row(str(GROUP_LABELS.get(name, name)), part, part.get("score")) for name, part in tally["groups"].items()]
    rows.append(row(_("All voters"), tally["pooled"], tally["score"]))
    return header, rows


def result_sheet(ballot, tally: dict | None, tellers: list[str]):
    document = documents.word(ballot.title, _("Result sheet of the secret ballot"))
    documents.table(document, None, [
        [_("Department evaluated"), ballot.subject, _("Year"), ballot.year],
        [_("Vote opened"), _when(ballot.opened_at), _("Vote closed"), _when(ballot.closed_at)],
        [_("Paper ballots"),
         _("issued %(i)s, returned %(r)s", i=ballot.paper_issued or 0, r=ballot.paper_returned or 0),
         _("Announced"), _when(ballot.announced_at)],
    ])
    if ballot.status == "void":
        documents.paragraph(document, _("This round is void: %(reason)s", reason=void_message(ballot)), bold=True)
    elif tally:
        header, rows = tally_rows(tally)
        documents.table(document, header, rows, numeric_from=1)
        documents.paragraph(document, f"{_('Grade')}：{tally['grade']}"
                            + (f" · {_('Composite score')}：{_score(tally['score'])}" if tally["score"] is not None
                               else ""), bold=True, size=14)
        documents.paragraph(document, _("Members: %(members)s · present: %(present)s · ballots returned: %(ballots)s · "
                                        "not cast (connection lost): %(lost)s", members=tally["members"],
                                        present=tally["present"], ballots=tally["pooled"]["ballots"],
                                        lost=tally["turnout"]["not_cast"]))
        if tally.get("committee"):
            documents.paragraph(document, _("Standing Committee members: %(members)s · present: %(present)s (the "
                                            "quorum counts only them)", **tally["committee"]))
        documents.paragraph(document, f"{_('Counting rule')}：{tally['rule']}")
    else:
        documents.paragraph(document, _("The vote is still open."))
    if tellers:
        documents.paragraph(document, f"{_('Tellers')}：{'、'.join(tellers)}")
    documents.paragraph(document, "")
    documents.paragraph(document, f"{_('Tellers (signatures)')}：" + " " * 24 + f"{_('Scrutineer (signature)')}：")
    return documents.send(document, f"{ballot.subject}-{ballot.year}-{_('Result sheet of the secret ballot')}.docx")


def ranking_rows(ranked: list) -> list[list]:
    return [[r.rank, r.ballot.subject, r.score, r.ballot.tally["grade"],
             round(r.ballot.tally["pooled"]["combined_rate"] * 100, 2), _("follow up") if r.flagged else ""]
            for r in ranked]


def ranking(ranked: list, year: int, kind: str, file_kind: str):
    title = _("Ranking of the departments evaluated in %(year)s", year=year)
    header = [_("Rank"), _("Department"), _("Score"), _("Grade"), _("Satisfied + basically satisfied") + " (%)", ""]
    kind_name = str(KINDS.get(kind, KINDS["meeting"]))
    name = f"{title}-{kind_name}.{file_kind}"
    if file_kind == "xlsx":
        return documents.send(documents.workbook(str(year), header, ranking_rows(ranked), (8, 28, 10, 12, 20, 12)),
                              name)
    document = documents.word(title, kind_name)
    documents.table(document, header, [[rank, subject, _score(score), grade, f"{rate:.2f}%", flag]
                                       for rank, subject, score, grade, rate, flag in ranking_rows(ranked)],
                    numeric_from=2)
    documents.paragraph(document, _("Equal scores share a rank; a tie at the boundary flags every department in it."))
    return documents.send(document, name)
