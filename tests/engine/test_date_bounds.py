"""SpiffArena's `minimumDate` / `maximumDate`: dates in order across fields, refused on submission and checked
when a form is deployed (processes/forms/README.md, "Dates in order")."""
from __future__ import annotations

from engine.validation import resolve_schema, schema_errors
from forms.check import check_form

SCHEMA = {"type": "object", "properties": {
    "period": {"type": "object", "properties": {
        "start": {"type": "string", "format": "date", "title": "开始", "minimumDate": "{{ year }}-01-01"},
        "end": {"type": "string", "format": "date", "title": "结束", "minimumDate": "field:start",
                "maximumDate": "{{ year }}-12-31"}}},
    "rows": {"type": "array", "items": {"type": "object", "properties": {
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date", "minimumDate": "field:from",
               "validationErrorMessage": "截止日期不能早于起始日期"}}}}}}


def errors(data):
    return schema_errors(resolve_schema(SCHEMA, {"year": 2027}), data)


def test_dates_out_of_order_or_out_of_the_year_are_refused_naming_the_other_field():
    assert errors({"period": {"start": "2027-03-01", "end": "2027-03-01"},
                   "rows": [{"from": "2027-01-01", "to": "2027-02-01"}]}) == {}
    found = errors({"period": {"start": "2026-12-31", "end": "2026-12-30"},
                    "rows": [{"from": "2027-01-02"}, {"from": "2027-05-02", "to": "2027-05-01"}]})
    assert found == {"period.start": "Must not be before 2027-01-01.",
                     "period.end": "Must not be before '开始' (2026-12-31).",
                     "rows.1.to": "截止日期不能早于起始日期"}
    assert errors({"period": {"end": "2028-01-01"}}) == {"period.end": "Must not be after 2027-12-31."}


def test_a_bound_must_be_a_date_or_a_field():
    assert check_form("f.json", SCHEMA) == []
    bad = {"type": "object", "properties": {"d": {"type": "string", "format": "date", "minimumDate": "today"}}}
    assert check_form("f.json", bad) == ["field 'd': 'minimumDate' must be a date (YYYY-MM-DD) or 'field:NAME'"]
