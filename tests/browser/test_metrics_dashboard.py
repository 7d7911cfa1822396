"""A supervisor opens the metrics dashboard and sees its charts, in both directions."""

from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD

# A function, not an expression: the page's CSP (no 'unsafe-eval') refuses a string evaluated.
CHARTS = 5  # volume, response rate, resolution time, service-level targets met, CSAT
CHARTS_DRAWN = f"() => window.Chart && Object.keys(window.Chart.instances).length === {CHARTS}"


def canvas_sizes(page):
    return page.eval_on_selector_all(
        ".metrics-chart canvas", "els => els.map(c => [c.width, c.height])"
    )


def x_axes_reversed(page):
    return page.evaluate(
        "Object.values(window.Chart.instances).map(c => c.options.scales.x.reverse)"
    )


def test_supervisor_sees_the_dashboard_charts_and_headline(page, live_server, login):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    login("supervisor@demo.example", DEMO_PASSWORD)
    page.goto(live_server.url + "/t/demo/metrics/?days=30")

    assert page.get_by_role("heading", name="Metrics", exact=True).is_visible()
    created = page.locator('[data-figure="tickets_created"] .stat').inner_text().strip()
    assert created.isdigit() and int(created) > 0
    assert page.locator('[data-figure="csat"] .stat').inner_text().strip().endswith("%")
    page.wait_for_function(CHARTS_DRAWN)
    sizes = canvas_sizes(page)
    assert len(sizes) == CHARTS
    assert all(width > 0 and height > 0 for width, height in sizes)
    assert x_axes_reversed(page) == [False] * CHARTS

    # The breakdown sorts by a column when its heading is pressed.
    table = page.locator("#breakdown-queue")
    table.get_by_role("button", name="Queue").click()
    assert table.locator("thead th").first.get_attribute("aria-sort") == "descending"

    # Right to left: the time axis runs the other way.
    with page.expect_navigation():  # choosing a language submits the switcher at once
        page.get_by_label("Language").select_option("he")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.wait_for_function(CHARTS_DRAWN)
    assert x_axes_reversed(page) == [True] * CHARTS
    assert all(width > 0 and height > 0 for width, height in canvas_sizes(page))
