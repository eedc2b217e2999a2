from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .formats import IMPORT_EXTENSIONS, MAX_IMPORT_BYTES, format_for


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Glossary file"),
        help_text=_("CSV (UTF-8, with the documented header) or TBX-Basic, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
        error_messages={"required": _("Choose a file to import.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if format_for(upload.name) is None:
            raise forms.ValidationError(_("Sheber imports .csv and .tbx files."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("This file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMPORT_BYTES)}
            )
        return upload
