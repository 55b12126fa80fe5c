"""WTForms validators for what JSON Schema says about a field.

Messages reuse WTForms' own wording where it has one, so its translations apply (text lengths have
their own: WTForms speaks of "Field ... characters long"). The jsonschema check that runs afterwards
(forms.submission) remains the final word.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from wtforms.validators import NumberRange, Optional, StopValidation, ValidationError

from .conditions import Condition
from .definition import FieldDefinition
from .values import field_is_blank, json_value

EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", re.IGNORECASE)


def is_empty(value) -> bool:
    return value is None or value == [] or isinstance(value, str) and not value.strip()


class Required:
    """A value must be given; unlike DataRequired, 0 and False are values."""

    def __init__(self, html: bool = True):
        self.field_flags = {"required": True} if html else {}

    def __call__(self, form, field):
        raw = [v for v in field.raw_data or [] if not (isinstance(v, str) and not v.strip())]
        if raw and field.process_errors:
            raise StopValidation()  # something was typed but not understood: keep that message
        if is_empty(field.data):
            field.errors[:] = []
            raise StopValidation(field.gettext("This field is required."))


class RequiredWhen:
    """Required while a sibling's condition holds, optional otherwise."""

    def __init__(self, condition: Condition):
        self.condition = condition
        self.required, self.optional = Required(html=False), Optional()

    def __call__(self, form, field):
        if condition_holds(form, self.condition):
            self.required(form, field)
        else:
            self.optional(form, field)


def condition_holds(form, condition: Condition | None) -> bool:
    if condition is None:
        return True
    try:
        sibling = form[condition.field]
    except KeyError:
        return condition.holds({})
    return condition.holds({condition.field: json_value(getattr(sibling, "definition", None), sibling.data)})


class TextLength:
    """`minLength` / `maxLength` (None: no limit on that side)."""

    def __init__(self, low: int | None = None, high: int | None = None):
        self.low, self.high = low, high
        self.field_flags = {name: value for name, value in (("minlength", low), ("maxlength", high))
                            if value is not None}  # rendered as the input's attributes, as WTForms' Length does

    def __call__(self, form, field):
        length = len(field.data) if isinstance(field.data, str) else 0
        if (self.low is None or length >= self.low) and (self.high is None or length <= self.high):
            return
        if self.low is not None and self.high is not None:
            message = field.gettext("Please write %(min)d to %(max)d characters.")
        elif self.low is not None:
            message = field.gettext("Please write %(min)d or more characters.")
        else:
            message = field.gettext("Please write %(max)d or fewer characters.")
        raise ValidationError(message % {"min": self.low, "max": self.high})


class Pattern:
    """JSON Schema's `pattern`: a regular expression found anywhere in the value (not anchored)."""

    def __init__(self, pattern: str):
        self.regex = re.compile(pattern)

    def __call__(self, form, field):
        if isinstance(field.data, str) and field.data and not self.regex.search(field.data):
            raise ValidationError(field.gettext("Invalid input."))


class Format:
    """`format` on a plain text input: email, date or date-time."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, form, field):
        value = field.data
        if not isinstance(value, str) or not value:
            return
        if self.name == "email" and not EMAIL.match(value):
            raise ValidationError(field.gettext("Invalid email address."))
        if self.name == "date" and not is_iso_date(value):
            raise ValidationError(field.gettext("Not a valid date value."))
        if self.name == "date-time" and not is_iso_datetime(value):
            raise ValidationError(field.gettext("Not a valid datetime value."))


def is_iso_date(value: str) -> bool:
    """YYYY-MM-DD, a real calendar day (the engine checks the same, engine/validation.py)."""
    try:
        return DATE.fullmatch(value) is not None and dt.date.fromisoformat(value) is not None
    except ValueError:
        return False


def is_iso_datetime(value: str) -> bool:
    try:
        return DATE_TIME.fullmatch(value) is not None \
            and dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00")) is not None
    except ValueError:
        return False


class Finite:
    def __call__(self, form, field):
        if isinstance(field.data, Decimal) and not field.data.is_finite():
            raise ValidationError(field.gettext("Not a valid decimal value."))


class Exclusive:
    """`exclusiveMinimum` / `exclusiveMaximum` (draft-06 and later: numbers)."""

    def __init__(self, low=None, high=None):
        self.low, self.high = low, high

    def __call__(self, form, field):
        value = field.data
        if value is None or isinstance(value, Decimal) and not value.is_finite():
            return
        if self.low is not None and value <= self.low:
            raise ValidationError(field.gettext("Number must be greater than %(min)s.") % {"min": self.low})
        if self.high is not None and value >= self.high:
            raise ValidationError(field.gettext("Number must be less than %(max)s.") % {"max": self.high})


class MultipleOf:
    def __init__(self, step):
        self.step = Decimal(str(step))

    def __call__(self, form, field):
        value = field.data
        if value is None or isinstance(value, Decimal) and not value.is_finite():
            return
        try:
            remainder = Decimal(str(value)) % self.step
        except InvalidOperation:
            remainder = 1
        if remainder != 0:
            raise ValidationError(field.gettext("Number must be a multiple of %(step)s.") % {"step": self.step})


class ValidChoice:
    """The value (or every value of a list) is one of the offered choices."""

    def __init__(self, values: list):
        self.values = values

    def __call__(self, form, field):
        data = field.data if isinstance(field.data, list) else [field.data]
        for value in data:
            if value is not None and not any(type(value) is type(v) and value == v for v in self.values):
                raise ValidationError(field.gettext("Not a valid choice."))


class ItemCount:
    """`minItems` / `maxItems` on checkboxes, attachments and repeating groups (blank rows do not count)."""

    def __init__(self, low=None, high=None):
        self.low, self.high = low, high

    def __call__(self, form, field):
        entries = getattr(field, "entries", None)
        count = len([e for e in entries if not field_is_blank(e)]) if entries is not None else len(field.data or [])
        if self.low is not None and count < self.low:
            raise ValidationError(field.gettext("Enter at least %(min)d.") % {"min": self.low})
        if self.high is not None and count > self.high:
            raise ValidationError(field.gettext("Enter at most %(max)d.") % {"max": self.high})


def presence(definition: FieldDefinition) -> list:
    """The first validator of a plain field: required, required under a condition, or optional."""
    if definition.required:
        # no HTML `required` on a checkbox (false is an answer) or in rows (blank rows are ignored)
        return [Required(html=definition.widget != "checkbox" and definition.depth == 0)]
    if definition.required_when is not None:
        return [RequiredWhen(definition.required_when)]
    return [Optional()]


def constraints(definition: FieldDefinition) -> list:
    """Validators for the JSON Schema constraints WTForms can check as the user types."""
    c = definition.constraints
    found = []
    if "minLength" in c or "maxLength" in c:
        found.append(TextLength(c.get("minLength"), c.get("maxLength")))
    if "pattern" in c:
        found.append(Pattern(c["pattern"]))
    if c.get("format") in ("email", "date", "date-time") and definition.widget in ("text", "hidden", "textarea",
                                                                                   "email"):
        found.append(Format(c["format"]))
    if definition.type in ("integer", "number") and definition.widget != "rating":
        if "minimum" in c or "maximum" in c:
            found.append(NumberRange(min=c.get("minimum"), max=c.get("maximum")))
        if "exclusiveMinimum" in c or "exclusiveMaximum" in c:
            found.append(Exclusive(c.get("exclusiveMinimum"), c.get("exclusiveMaximum")))
        if "multipleOf" in c:
            found.append(MultipleOf(c["multipleOf"]))
    if definition.type == "array" and ("minItems" in c or "maxItems" in c):
        found.append(ItemCount(c.get("minItems"), c.get("maxItems")))
    return found
