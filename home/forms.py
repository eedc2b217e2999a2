from django import forms

from .text import number_or_none


class IdChoicesMixin:
    """For a field that picks rows by id from a form or a query string: a made-up id longer than
    a database integer would crash the lookup on SQLite, so it is refused as an invalid choice
    like any other."""

    def _check_values(self, value):
        for pk in value:
            if number_or_none(pk, digits=18) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
