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


class IdChoiceMixin:
    """`IdChoicesMixin` for a field that picks one row."""

    def to_python(self, value):
        sent = isinstance(value, str) and value not in self.empty_values
        if sent and number_or_none(value, digits=18) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdChoiceField(IdChoiceMixin, forms.ModelChoiceField):
    pass
