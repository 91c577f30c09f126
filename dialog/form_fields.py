"""Form fields more than one feature uses. The rules stay in the services."""

from __future__ import annotations

from datetime import date, datetime

from wtforms import Field, SelectMultipleField
from wtforms.widgets import CheckboxInput, DateInput, ListWidget

from .bounds import YEAR_MESSAGE, date_in_range


class SwedishDateField(Field):
    """A date typed as ÅÅÅÅ-MM-DD (the browser's date picker sends that form); empty = None,
    the year within bounds.MIN_YEAR … MAX_YEAR."""

    widget = DateInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        try:
            day = datetime.strptime(valuelist[0].strip(), "%Y-%m-%d").date()
        except ValueError:
            raise ValueError("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2027-06-30.") from None
        if not date_in_range(day):
            raise ValueError(YEAR_MESSAGE)
        self.data = day


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
