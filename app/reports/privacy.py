"""The text each user is shown of a report: personal data masked unless the access policy allows it."""
from app.reports.pii import mask_personal_data
from app.security.access import may_see_personal_data


def visible_text(text, user, report):
    """Return a report text as this user may see it: personal data masked unless allowed."""
    if not text:
        return text or ""
    return text if may_see_personal_data(user, report) else mask_personal_data(text)
