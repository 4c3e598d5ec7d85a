"""Language selection and template helpers for Thai and English."""
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations, refresh
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from app.core.timeutil import format_date
from app.extensions import babel


def select_locale():
    """Pick the UI language: ?lang=, then the session, the user's preference, Accept-Language, Thai."""
    if not has_request_context():  # CLI and worker: messages pick their language themselves
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    requested = request.args.get("lang")
    if requested in languages:
        session["lang"] = requested
        return requested
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.preferred_language in languages:
        return current_user.preferred_language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_lang():
    """Return 'th' or 'en' for the current request."""
    if "lang" not in g:
        g.lang = str(get_locale() or "th")[:2]
    return g.lang


def be_date(value, with_time=False):
    """Jinja filter: a date in the current language; Thai shows the Buddhist Era year."""
    return format_date(value, current_lang(), with_time=with_time)


def localized(obj, attr="name"):
    """Jinja filter: an object's Thai or English field (name_th/name_en) for the current language."""
    if obj is None:
        return ""
    lang = current_lang()
    return getattr(obj, f"{attr}_{lang}", None) or getattr(obj, f"{attr}_th", "")


def init_babel(app):
    """Bind Flask-Babel and register the date and name filters."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)

    @app.before_request
    def forget_cached_locale():
        # an app context can outlive one request (tests, CLI-driven requests): choose afresh each time
        g.pop("lang", None)
        refresh()
    app.jinja_env.filters["be_date"] = be_date
    app.jinja_env.filters["be_datetime"] = lambda v: be_date(v, with_time=True)
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.globals["current_lang"] = current_lang
    app.context_processor(page_catalogue)


def page_catalogue():
    """Template context: gettext and ngettext bound to this request's catalogue, for `_()` and {% trans %}.

    Jinja looks both names up in the page's context before its globals. Flask-Babel's globals find the
    request's locale again on every call (about 7 µs each; the station queue makes about 300); bound once
    per page, a call costs a dictionary lookup. Macros imported without context keep the globals, which
    give the same texts.
    """
    translations = get_translations()
    return {"gettext": _formatting(translations.ugettext), "ngettext": _formatting(translations.ungettext)}


def _formatting(translate):
    # As Jinja's "newstyle" gettext: the text is escaped-safe markup on HTML pages and always a %-format
    # string, so "%%" and %(name)s behave the same with or without variables.
    @pass_context
    def call(context, *args, **variables):
        if len(args) == 3:  # ngettext(singular, plural, n) offers n as %(num)s
            variables.setdefault("num", args[2])
        text = translate(*args)
        if context.eval_ctx.autoescape:
            # the text is our own catalogue's, as with Jinja's gettext; the variables are escaped by %
            text = Markup(text)  # nosec B704
        return text % variables
    return call
