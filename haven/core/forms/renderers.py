from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Forms and fields render GOV.UK Design System components (templates/govuk/)."""

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"
