from django import template

register = template.Library()


@register.simple_tag
def source_pdf(conference):
    """{"url", "size"} of the conference's original PDF; None when it has none or its file is not readable."""
    if not conference.source_pdf:
        return None
    try:
        return {"url": conference.source_pdf.url, "size": conference.source_pdf.size}
    except OSError:
        # A file lost from the storage: the pages go on without the link.
        return None
