"""Key pages under the Content-Security-Policy: the browser reports no violation on any of them,
and the API docs ask no other server for anything."""

from urllib.parse import urlsplit

from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from knowledge.models import Article
from tickets.models import Ticket

# Collects violations the page itself sees, beside what Chromium writes to the console.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def watch(page):
    """Console lines about the policy and requests to other hosts, as the pages load."""
    seen = {"console": [], "elsewhere": []}
    page.add_init_script(LISTEN)

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            seen["console"].append(message.text)

    page.on("console", on_console)
    return seen


def visit(page, url, seen):
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__csp")
    assert violations == [], (url, violations)
    assert seen["console"] == [], (url, seen["console"])


def test_key_pages_report_no_policy_violation(page, live_server, login):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    seen = watch(page)
    base = live_server.url + "/t/demo"
    bob = User.objects.get(email="customer@demo.example")
    own = Ticket.objects.filter(tenant__slug="demo", requester=bob).order_by("number").first()
    article = Article.objects.filter(tenant__slug="demo", audience="public").first()

    login("customer@demo.example", DEMO_PASSWORD)
    for path in ["/portal/", "/portal/new/", f"/tickets/{own.number}/", "/kb/", "/ideas/"]:
        visit(page, base + path, seen)
    # Typing in the request form asks for suggestions (script + fetch from this server).
    page.goto(base + "/portal/new/")
    page.get_by_label("Subject").fill("refund invoice")
    page.wait_for_timeout(800)
    assert page.evaluate("window.__csp") == []

    page.context.clear_cookies()
    login("supervisor@demo.example", DEMO_PASSWORD)
    for path in [
        "/workspace/",
        f"/tickets/{own.number}/",
        "/metrics/?days=30",
        "/metrics/people/",
        f"/kb/{article.slug}/",
        "/news/",
        "/kudos/",
    ]:
        visit(page, base + path, seen)
        if path.startswith("/metrics/?"):  # the charts are drawn under the policy too
            page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length")


def test_api_docs_render_from_this_server_alone(page, live_server):
    seen = watch(page)
    here = urlsplit(live_server.url).netloc
    page.on(
        "request",
        lambda request: (
            seen["elsewhere"].append(request.url)
            if urlsplit(request.url).scheme in ("http", "https")
            and urlsplit(request.url).netloc != here
            else None
        ),
    )
    visit(page, live_server.url + "/api/v1/docs/", seen)
    page.get_by_text("Helpdesk API").first.wait_for()
    assert seen["elsewhere"] == []
