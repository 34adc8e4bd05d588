from django import template

register = template.Library()


@register.filter
def inner_quotes(text):
    """
    German text set inside „…“: its own „…“ become ‚…‘, as German typesetting nests
    quotations (never „…„…““). The conference titles quote the name of the pact.
    """
    return str(text).replace("„", "‚").replace("“", "‘")
