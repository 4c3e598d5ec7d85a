"""The words the offline scripts show, in the current language (scripts get them through data-* attributes)."""
from flask_babel import gettext as _


def script_messages():
    """Return the offline scripts' texts; {name} placeholders are filled in by the script."""
    return {
        "draft": _("Draft"),
        "queued": _("Waiting to send"),
        "sending": _("Sending…"),
        "sent": _("Sent: %(ref)s", ref="{ref}"),
        "rejected": _("Needs changes"),
        "untitled": _("Report without a description"),
        "photos": _("Photos: %(n)s", n="{n}"),
        "savedAt": _("Saved on this phone at %(time)s.", time="{time}"),
        "open": _("Open"),
        "openReport": _("Open the report"),
        "edit": _("Edit"),
        "sendNow": _("Send now"),
        "remove": _("Delete"),
        "confirmRemove": _("Delete this report from the phone? What was typed and its photos will be lost."),
        "openNow": _("open now"),
        "queuedNotice": _("No signal: the report is kept on this phone and will be sent by itself when "
                          "the signal returns. You can file another report meanwhile."),
        "sentNotice": _("Report %(ref)s was sent.", ref="{ref}"),
        "rejectedNotice": _("The report was not accepted yet. Correct the fields marked below and send again."),
        "checksNotice": _("Before the report is filed, please look at the notes on the form: press Send "
                          "report again while you have a signal."),
        "signIn": _("Sign in again to send the reports waiting on this phone."),
        "offline": _("No signal. You can still fill in reports: they are kept on this phone and sent "
                     "when the signal returns."),
        "waiting": _("Reports waiting to send: %(n)s.", n="{n}"),
        "showDrafts": _("See them"),
        "needsSignal": _("This needs a signal. Try again when you are online."),
        "signOutUnsent": _("%(n)s report(s) on this phone are not sent yet. Signing out deletes them from "
                           "this phone. Sign out anyway? (Cancel to stay signed in and send them first.)",
                           n="{n}"),
        "preparingPhotos": _("Preparing the photos…"),
        "photoN": _("Photo %(n)s", n="{n}"),
        "tooManyPhotos": _("A report can carry at most %(n)s photos; the rest were left out.", n="{n}"),
        "photosOnServer": _("%(n)s photo(s) sent earlier are kept with this report.", n="{n}"),
        "photosKept": _("Photos ready: %(n)s (%(kb)s KB to send).", n="{n}", kb="{kb}"),
    }
