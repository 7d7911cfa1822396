"""The Jinja2 environment of every page and e-mail (settings.TEMPLATES' first engine).

Django's own engine stays only for the admin and DRF's browsable API. Apps hand their
template helpers over in a ``templating.py`` of their own (``FILTERS`` and ``GLOBALS``), so a
template calls ``url(...)``, ``onboarding_for(membership)`` or ``|as_duration`` without a
``{% load %}``. Text files (``.txt``: e-mails) are not HTML-escaped; everything else is.
"""

from __future__ import annotations

import datetime
import functools
import re
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.signals import setting_changed
from django.middleware.csrf import get_token
from django.template import defaultfilters
from django.template.backends import jinja2 as jinja2_backend
from django.template.backends.utils import csrf_input
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.html import json_script
from django.utils.safestring import SafeString
from jinja2 import ChainableUndefined, Environment, nodes, pass_context
from jinja2.ext import Extension
from markupsafe import Markup

from core.text import bidi_isolate

# The apps whose templating.py adds filters and globals, in the order they are merged.
APPS = ("accounts", "tickets", "knowledge", "metrics")


class Template(jinja2_backend.Template):
    def render(self, context=None, request=None):
        return self.template.render(self.context_for(context or {}, request))

    def context_for(self, context: dict, request) -> dict:
        """The view's context over the context processors', as in Django's engine (the
        refusal and 404 pages name no helpdesk even though the request has one)."""
        if request is None:
            return context
        merged = {"request": request}
        for processor in self.backend.template_context_processors:
            merged.update(processor(request))
        # One token a page, as Django's engine makes it (Jinja2's lazy ones mask it anew, 32
        # random choices, wherever a form prints it).
        # The script prefix and URL conf are the request's: read once, not for every link.
        merged["url"] = functools.partial(_link, get_script_prefix(), get_urlconf())
        merged["csrf_input"] = _lazy_markup(_once(csrf_input, request))
        merged["csrf_token"] = _lazy_text(_once(get_token, request))
        merged.update(context)
        return merged


def _once(function, *args):
    return functools.cache(functools.partial(function, *args))


def _call(function):
    return function()


# Made once: lazy() builds a proxy class on each call.
_lazy_markup = lazy(_call, SafeString)
_lazy_text = lazy(_call, str)


class Jinja2(jinja2_backend.Jinja2):
    """Django's Jinja2 backend, with Django's precedence of context (see ``Template``)."""

    def from_string(self, template_code):
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name):
        return Template(super().get_template(template_name).template, self)


# Link shapes by (name, arity, script prefix): a list links every row to its ticket, and
# Django's reverse() costs about 0.1 ms a call. A shape is reversed once with markers that fit
# every converter (digits), then each link is the shape with its values put in.
_SHAPES: dict = {}
_MARKER = "7391846250{}"
_PLAIN = re.compile(r"[-\w]+", re.ASCII)


def url(name: str, *args, **kwargs) -> str:
    return _link(get_script_prefix(), get_urlconf(), name, *args, **kwargs)


def _link(prefix: str, urlconf, name: str, *args, **kwargs) -> str:
    """``url()`` for the script prefix and URL conf given (what reverse() would read)."""
    for a in args:
        if not (type(a) is int or (type(a) is str and _PLAIN.fullmatch(a))):
            return reverse(name, args=args, kwargs=kwargs or None)
    if kwargs:
        return reverse(name, args=args or None, kwargs=kwargs)
    key = (name, len(args), prefix, urlconf)
    shape = _SHAPES.get(key)
    if shape is None:
        markers = [_MARKER.format(i) for i in range(len(args))]
        shape = reverse(name, args=markers or None)  # quoted: it holds no brace of its own
        for i, marker in enumerate(markers):
            shape = shape.replace(marker, f"{{{i}}}", 1)
        _SHAPES[key] = shape
    return shape.format(*args)


# Formatted dates by (value, format, language, time zone): Django's formatting costs about
# 0.1 ms a call and a list shows the same instants again; a pure function of the four.
_DATES: dict = {}
_DATES_KEPT = 20_000


def _date(value, arg=None):
    """Django's ``date`` filter in the active time zone, as Django's engine calls it
    (``expects_localtime``)."""
    if not isinstance(value, datetime.date):
        return defaultfilters.date(value, arg)
    key = (value, arg, translation.get_language(), timezone.get_current_timezone())
    text = _DATES.get(key)
    if text is None:
        if len(_DATES) >= _DATES_KEPT:
            _DATES.clear()
        text = _DATES[key] = defaultfilters.date(timezone.template_localtime(value), arg)
    return text


def _time(value, arg=None):
    return defaultfilters.time(timezone.template_localtime(value), arg)


def language_info_list() -> list[dict]:
    return [translation.get_language_info(code) for code, _name in settings.LANGUAGES]


def _default_if_none(value, default):
    return default if value is None else value


def _no_callables(value):
    """``{{ obj.method }}`` without the call renders a bound method's repr in Jinja2 (Django
    called it); refuse it loudly so that a test of the page fails instead."""
    if callable(value) and not isinstance(value, str) and not hasattr(value, "__html__"):
        raise TypeError(f"a template printed a callable without calling it: {value!r}")
    return value


class FragmentCacheExtension(Extension):
    """``{% cache seconds, "name", key, ... %}…{% endcache %}``: Django's ``{% cache %}`` tag,
    keyed the same way (``make_template_fragment_key``) and stored in the default cache."""

    tags = {"cache"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        args = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            args.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_cached", [nodes.List(args)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _cached(self, args, caller):
        seconds, name, *vary_on = args
        key = make_template_fragment_key(str(name), vary_on)
        html = cache.get(key)
        if html is None:
            html = caller()
            cache.set(key, html, seconds)
        return Markup(html)  # noqa: S704 (the fragment was rendered, and escaped, by Jinja2)


# Fragments by their keys (KeptFragmentExtension), in this process.
_KEPT: dict = {}
_KEPT_MAX = 2_000


class KeptFragmentExtension(Extension):
    """``{% kept "name", key, ... %}…{% endkept %}``: markup that is a function of its keys
    alone, rendered once per process for each set of keys (compared by equality, lists as
    tuples). For a form whose widgets show only what the keys hold (the workspace's bulk
    actions: the staff list and the language), so a change of any of them is a new entry and
    nothing is ever stale; no round trip to the cache, unlike ``{% cache %}``."""

    tags = {"kept"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        args = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            args.append(parser.parse_expression())
        body = parser.parse_statements(("name:endkept",), drop_needle=True)
        call = self.call_method("_kept", [nodes.List(args)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _kept(self, args, caller):
        key = tuple(tuple(a) if isinstance(a, list) else a for a in args)
        html = _KEPT.get(key)
        if html is None:
            if len(_KEPT) >= _KEPT_MAX:
                _KEPT.clear()
            html = _KEPT[key] = Markup(caller())  # noqa: S704 (rendered, and escaped, by Jinja2)
        return html


class Undefined(ChainableUndefined):
    """What a missing name or attribute renders as: nothing, as in Django's templates, also
    through a chain (``e.actor.name`` when there is no actor) and when called
    (``e.actor.get_full_name()``)."""

    def __call__(self, *args, **kwargs):
        return self


# A dict has no attributes but these (its instances have no __dict__).
_DICT_NAMES = frozenset(dir(dict))


class HelpdeskEnvironment(Environment):
    """Jinja2's environment, with ``row.number`` on a dict looked up as the key at once.

    Jinja2 tries the attribute first, and for a dict's key that raises and catches an
    AttributeError (about 1 µs) before reading the key: list rows (``values()``) and widget
    contexts are dicts, a page reads about a thousand of them. Names that are a dict's own
    attributes (``items``, ``get``...) still go Jinja2's way, so the result is the same.
    """

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


# Translated messages by (language, message): Django's gettext looks a message up through the
# catalogue's chain of fallbacks on each call (an English page misses every one of them), and
# a page's templates ask for the same few dozen messages again and again.
_MESSAGES: dict = {}
_MESSAGES_KEPT = 20_000


def _gettext(message):
    if type(message) is not str:
        return translation.gettext(message)
    key = (translation.get_language(), message)
    text = _MESSAGES.get(key)
    if text is None:
        if len(_MESSAGES) >= _MESSAGES_KEPT:
            _MESSAGES.clear()
        text = _MESSAGES[key] = translation.gettext(message)
    return text


@pass_context
def _newstyle_gettext(__context, __string, **variables):
    """Jinja2's newstyle ``gettext`` (jinja2.ext._make_new_gettext) over ``_gettext``, called
    at once: Jinja2's goes through ``Context.call`` for the function it wraps, and its ``_``
    resolves ``gettext`` and calls it through ``Context.call`` again."""
    rv = _gettext(__string)
    if not variables and "%" not in rv:
        return Markup(rv) if __context.eval_ctx.autoescape else rv  # noqa: S704 (as below)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 (a translation, trusted as Jinja2 trusts it)
    return rv % variables  # a format string even without variables, as in Jinja2


def _catalogue_changed(setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _MESSAGES.clear()


setting_changed.connect(_catalogue_changed)


def _autoescape(name: str | None) -> bool:
    return not (name or "").endswith(".txt")


def environment(**options) -> Environment:
    options["autoescape"] = _autoescape
    options["undefined"] = Undefined  # also under DEBUG, which would print the missing names
    # Every template kept, in a plain dict: an LRU's lock and queue cost on each of a page's
    # twenty-odd loads (includes, widgets), and the templates are a fixed set of files.
    options.setdefault("cache_size", -1)
    env = HelpdeskEnvironment(  # noqa: S701 (autoescape is _autoescape, set just above)
        extensions=["jinja2.ext.i18n", FragmentCacheExtension, KeptFragmentExtension],
        finalize=_no_callables,
        **options,
    )
    env.install_gettext_callables(
        _gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(gettext=_newstyle_gettext, _=_newstyle_gettext)
    env.globals.update(
        url=url,
        static=static,
        get_language_info_list=language_info_list,
        get_current_language=translation.get_language,
        get_current_language_bidi=translation.get_language_bidi,
    )
    env.filters.update(
        date=_date,
        time=_time,
        timesince=defaultfilters.timesince_filter,
        default_if_none=_default_if_none,
        stringformat=defaultfilters.stringformat,
        linebreaksbr=defaultfilters.linebreaksbr,
        capfirst=defaultfilters.capfirst,
        add=defaultfilters.add,
        truncatechars=defaultfilters.truncatechars,
        floatformat=defaultfilters.floatformat,
        filesizeformat=defaultfilters.filesizeformat,
        json_script=json_script,
        urlencode=defaultfilters.urlencode,
        bidi_isolate=bidi_isolate,
    )
    for app in APPS:
        module = import_module(f"{app}.templating")
        env.filters.update(getattr(module, "FILTERS", {}))
        env.globals.update(getattr(module, "GLOBALS", {}))
    return env
